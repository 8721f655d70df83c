import { classifyOptOut } from "./opt-out-classifier";

type ReplyKeyword = "stop" | "start" | "help";

// CTIA and Twilio's default opt-in and help keywords, matched on the whole reply. Opt-outs are
// read by classifyOptOut, which also takes them in the shopper's own words.
const START = new Set(["START", "UNSTOP", "YES"]);
const HELP = new Set(["HELP", "INFO"]);

// The opt-out keywords Twilio itself answers on long codes and toll-free numbers, creating its
// block entry (error 21610) and sending its own confirmation, when the whole reply is the one
// word: "replying STOP will stop the customer from receiving messages ... but replying 'STOP
// PLEASE' or 'PLEASE CANCEL' will not" (help.twilio.com/articles/223134027; the list as in
// twilio.com/docs/messaging/tutorials/advanced-opt-out).
const TWILIO_OPT_OUT_WORDS = new Set(["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"]);

export interface ReplyReading {
  keyword: ReplyKeyword | null;
  /** For an opt-out: the rule that read it (stored as evidence), e.g. "phrase:stop_texting". */
  optOutRule: string | null;
  /** Not an opt-out, but maybe one: the rule that flagged it, for the merchant to confirm. */
  possibleOptOutRule: string | null;
  /** Twilio has already confirmed this opt-out to the shopper itself: we must not send a second. */
  confirmedByTwilio: boolean;
}

/**
 * What a reply asks for. Twilio's Advanced Opt-Out sends OptOutType (its own keywords, or the
 * merchant's custom ones); otherwise we read the body: whole-word START and HELP, and opt-outs
 * in any reasonable words (app/messaging/opt-out-classifier.ts). Anything else is an ordinary
 * reply, perhaps flagged as a possible opt-out.
 */
export function readReply(body: string, optOutType?: string | null): ReplyReading {
  const type = optOutType?.toUpperCase();
  const word = body
    .trim()
    .toUpperCase()
    .replace(/[.!\s]+$/, "")
    .replace(/\s+/g, " ");
  const plain = { optOutRule: null, possibleOptOutRule: null, confirmedByTwilio: false };
  if (type === "START") return { ...plain, keyword: "start" };
  if (type === "HELP") return { ...plain, keyword: "help" };
  // What is stored of a reply (1,600 characters, Twilio's longest) is what is read.
  const verdict = classifyOptOut(body.slice(0, 1600));
  if (type === "STOP") {
    return { keyword: "stop", optOutRule: verdict.kind === "opt_out" ? verdict.rule : "twilio:OptOutType=STOP", possibleOptOutRule: null, confirmedByTwilio: true };
  }
  if (START.has(word)) return { ...plain, keyword: "start" };
  if (HELP.has(word)) return { ...plain, keyword: "help" };
  if (verdict.kind === "opt_out") {
    return { keyword: "stop", optOutRule: verdict.rule, possibleOptOutRule: null, confirmedByTwilio: TWILIO_OPT_OUT_WORDS.has(body.trim().toUpperCase()) };
  }
  return { ...plain, keyword: null, possibleOptOutRule: verdict.kind === "possible_opt_out" ? verdict.rule : null };
}
