import { describe, expect, it } from "vitest";
import { classifyOptOut, withinOneEdit } from "./opt-out-classifier";

// Real-world replies to marketing texts, each with the verdict a reasonable person would give
// (FCC 47 CFR § 64.1200(a)(10): "any reasonable method"). The rule is what is stored as evidence.
const OPT_OUTS: [string, string][] = [
  ["STOP", "keyword:STOP"],
  ["Stop.", "keyword:STOP"],
  ["stop", "keyword:STOP"],
  ["  STOP  ", "keyword:STOP"],
  ["STOP!!!", "keyword:STOP"],
  ["STOP please", "keyword:STOP"],
  ["Please stop", "keyword:STOP"],
  ["stop it now", "keyword:STOP"],
  ["Stop stop stop", "keyword:STOP"],
  ["I said STOP", "keyword:STOP"],
  ["Yes please stop", "keyword:STOP"],
  ["no. stop.", "keyword:STOP"],
  ["STOPALL", "keyword:STOPALL"],
  ["STOP ALL", "keyword:STOP ALL"],
  ["Stop all texts", "keyword:STOP ALL"],
  ["unsubscribe me", "keyword:UNSUBSCRIBE"],
  ["UNSUBSCRIBE ME", "keyword:UNSUBSCRIBE"],
  ["Unsubscribe.", "keyword:UNSUBSCRIBE"],
  ["unsub", "keyword:UNSUB"],
  ["Cancel", "keyword:CANCEL"],
  ["END", "keyword:END"],
  ["Quit", "keyword:QUIT"],
  ["i quit", "keyword:QUIT"],
  ["REVOKE", "keyword:REVOKE"],
  ["OPTOUT", "keyword:OPTOUT"],
  ["opt-out", "keyword:OPT OUT"],
  ["Opt out please", "keyword:OPT OUT"],
  ["🛑", "emoji:stop_sign"],
  ["🛑🛑", "emoji:stop_sign"],
  ["ARRET", "keyword:ARRET"],
  ["Arrêt", "keyword:ARRET"],
  ["ARRÊTE", "keyword:ARRETE"],
  ["BAJA", "keyword:BAJA"],
  ["parar", "keyword:PARAR"],
  ["Stpo", "fuzzy:STOP"],
  ["sotp", "fuzzy:STOP"],
  ["Stopp", "fuzzy:STOP"],
  ["Stoo please", "fuzzy:STOP"],
  ["unsubscibe", "fuzzy:UNSUBSCRIBE"],
  ["Unsuscribe me", "fuzzy:UNSUBSCRIBE"],
  ["cancle", "fuzzy:CANCEL"],
  ["revoek", "fuzzy:REVOKE"],
  ["please stop texting me", "phrase:stop_texting"],
  ["stop sending these pls", "phrase:stop_texting"],
  ["Stop sending me messages", "phrase:stop_texting"],
  ["Can you stop texting me?", "phrase:stop_texting"],
  ["how do i stop these texts", "phrase:stop_texting"],
  ["stop with the spam", "phrase:stop_texting"],
  ["Remove me from your list", "phrase:remove_me"],
  ["please remove my number", "phrase:remove_me"],
  ["Take me off your list", "phrase:take_me_off"],
  ["I want off the mailing list", "phrase:off_your_list"],
  ["Don't text me", "phrase:dont_text_me"],
  ["dont text me again", "phrase:dont_text_me"],
  ["Do not contact me", "phrase:dont_text_me"],
  ["Never message me again", "phrase:dont_text_me"],
  ["No more texts", "phrase:no_more_texts"],
  ["no more messages please", "phrase:no_more_texts"],
  ["No more", "phrase:no_more"],
  ["I don't want these texts", "phrase:dont_want_texts"],
  ["I no longer want to receive messages", "phrase:dont_want_texts"],
  ["opt me out", "phrase:opt_me_out"],
  ["How do I unsubscribe?", "keyword:UNSUBSCRIBE"],
  ["I unsubscribed last week and still get these", "fuzzy:UNSUBSCRIBE"],
  ["I want to opt out", "keyword:OPT OUT"],
  ["Cancel my subscription", "phrase:cancel_subscription"],
  ["leave me alone", "phrase:leave_me_alone"],
  ["Wrong number", "phrase:wrong_number"],
  ["f off", "phrase:go_away"],
  ["Darme de baja por favor", "phrase:dar_de_baja"],
  ["No más mensajes", "phrase:no_mas_mensajes"],
  ["no mas", "phrase:no_more"],
  ["No me envíen más", "phrase:no_me_envien"],
  ["Arrêtez de m'envoyer des messages", "phrase:arretez_de"],
];

const POSSIBLE: [string, string][] = [
  ["can you stop by the store?", "in_sentence:STOP"],
  ["when does the sale stop?", "in_sentence:STOP"],
  ["Can I cancel my order?", "in_sentence:CANCEL"],
  ["I quit my job lol", "in_sentence:QUIT"],
  ["don't stop sending me deals!", "negated:phrase:stop_texting"],
  ["please do not unsubscribe me", "negated:keyword:UNSUBSCRIBE"],
  ["I accidentally unsubscribed, can I get back on?", "negated:fuzzy:UNSUBSCRIBE"],
  ["not interested", "possible:not_interested"],
  ["No thanks", "possible:no_thanks"],
  ["too many texts", "possible:too_many_texts"],
  ["Shop", "near_keyword:shop"],
  ["Does the baja hoodie come in XL?", "in_sentence:BAJA"],
];

const NOT_OPT_OUTS = [
  "do you have this in blue?",
  "Is the pink one in stock?",
  "Thanks!",
  "Yes",
  "Y",
  "ok",
  "No",
  "when does the sale end?",
  "What time do you close",
  "Love it 😍",
  "9",
  "10",
  "Can I use the code on sale items?",
  "Stopping by later today",
  "I'll send a photo",
  "and",
  "send",
  "quiet",
  "quite nice actually",
  "para mi hermana",
  "Is 20% off the list price?",
  "HELP",
  "START",
  "The link isn't working",
  "who is the designer?",
  "I ordered the wrong size, can I exchange?",
  "Where is my order?",
  "step 2 of checkout fails",
  "",
  "   ",
  "👍",
  "top notch service",
];

describe("classifyOptOut", () => {
  it.each(OPT_OUTS)("reads %j as an opt-out (%s)", (body, rule) => {
    expect(classifyOptOut(body)).toEqual({ kind: "opt_out", rule });
  });

  it.each(POSSIBLE)("flags %j as a possible opt-out for the merchant (%s)", (body, rule) => {
    expect(classifyOptOut(body)).toEqual({ kind: "possible_opt_out", rule });
  });

  it.each(NOT_OPT_OUTS)("reads %j as no opt-out", (body) => {
    expect(classifyOptOut(body)).toEqual({ kind: "none", rule: null });
  });

  it("has at least 40 phrasings each way", () => {
    expect(OPT_OUTS.length).toBeGreaterThanOrEqual(40);
    expect(POSSIBLE.length + NOT_OPT_OUTS.length).toBeGreaterThanOrEqual(40);
  });
});

describe("withinOneEdit", () => {
  it.each([
    ["stop", "stpo", true],
    ["stop", "sotp", true],
    ["stop", "stopp", true],
    ["stop", "sto", true],
    ["stop", "spot", false],
    ["stop", "soup", false],
    ["cancel", "cancle", true],
    ["unsubscribe", "unsubscribed", true],
    ["end", "and", true],
    ["stop", "stop", true],
  ])("%s vs %s: %s", (a, b, expected) => {
    expect(withinOneEdit(a, b)).toBe(expected);
  });
});
