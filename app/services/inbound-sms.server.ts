import { queueConsentSync, type ConsentChange } from "../consent-sync/queue.server";
import type { SqlDriver, SqlTx } from "../db/sql-driver.server";
import { consentStatus, type JourneyEvent } from "../journey";
import { readJourneyState } from "../journey/state-schema";
import { log, maskPhone } from "../lib/log.server";
import type { TwilioAccountScope } from "../twilio/verify.server";
import { readReply, type ReplyReading } from "../messaging/keywords";
import { parseNpsReply } from "../messaging/nps";
import { brandFor, supportContactFor } from "../messaging/brand";
import { helpReply, optOutConfirmation } from "../messaging/compliance";
import { runJourneyForShopper } from "./journey-runner.server";
import { confirmPendingOptIn } from "./popup-optin.server";
import { normalizePhone } from "../lib/phone";
import { possibleOptOutFlag } from "./possible-opt-out.server";
import { keywordShop, requestKeywordSignup } from "./keyword-signup.server";
import { recordInboundConversation } from "../inbox/record-inbound.server";
import { lockShopper, upsertShopper, type LockedShopper } from "./shoppers.server";
import { readShopSettings } from "./shops.server";

export interface InboundSms {
  from: string;
  body: string;
  optOutType: string | null;
  messageSid: string;
  now: Date;
}

/**
 * A text from a shopper. An opt-out, as a keyword or in the shopper's own words ("please stop
 * texting me": the FCC's "any reasonable means", ADR 020), opts the number out at once in every
 * shop that texts it from that sender, cancelling everything pending, with the text and the rule
 * that read it kept as evidence; START opts back in; HELP gets a reply. An ambiguous text is
 * kept flagged as a possible opt-out for the merchant to confirm. Everything is kept on the
 * shopper's timeline; a 0–10 answer to the NPS question is an NPS score. A consent change is
 * queued for Shopify in the same transaction (app/consent-sync). Returns the reply to send,
 * if any: HELP's, or the one confirmation of an opt-out Twilio didn't confirm itself.
 */
export async function handleInboundSms(sql: SqlDriver, sms: InboundSms, account: TwilioAccountScope): Promise<{ reply: string | null }> {
  const reading = readReply(sms.body, sms.optOutType);
  const { keyword } = reading;
  // "JOIN" (the shop's keyword) texted to its number: a sign-up to confirm with Y (issue #21, item 3).
  const signupShop = keyword === null && !isConfirmation(sms.body) ? await keywordShop(sql, sms.body, account) : null;
  if (signupShop) return signUpByKeyword(sql, signupShop, sms, reading);
  // STOP applies to the sender it was sent to: one shop's own number, or every shop that
  // texts from the app's shared account.
  const shoppers = await sql.query<{ id: string; shop: string }>(
    `SELECT s.id, s.shop FROM shopper s JOIN shop sh ON sh.domain = s.shop
     WHERE s.phone = $1 AND ${"shop" in account ? "s.shop = $2" : "NOT (sh.settings ? 'twilio')"}`,
    "shop" in account ? [sms.from, account.shop] : [sms.from],
  );
  if (shoppers.length === 0) {
    log.info("text from an unknown number", { from: maskPhone(sms.from), keyword });
    // A STOP is kept even before any checkout names the number: a checkout that arrives later
    // must find the opt-out (the consent log orders entries by time, not by arrival).
    if (keyword === "stop") shoppers.push(...(await shoppersForUnknownNumber(sql, sms.from, account)));
  }

  let newlyOptedOut = false;
  for (const shopper of shoppers) {
    await sql.transaction(async (tx) => {
      const locked = await lockShopper(tx, shopper.shop, shopper.id);
      if (!locked) return;
      await recordReply(tx, shopper, sms, reading);
      await recordInboundConversation(tx, shopper.shop, shopper.id, sms.now, isQuestion(sms.body, reading));
      if (keyword === "stop" && !optedOut(locked)) newlyOptedOut = true;
      const change = await applyConsentReply(tx, shopper.shop, locked, reading, sms);
      if (change) await queueConsentSync(tx, shopper.shop, shopper.id, change);
    });
  }

  const shop = shoppers[0]?.shop ?? ("shop" in account ? account.shop : null);
  if (keyword === "stop") {
    // One confirmation, never two: none when Twilio sent its own (and blocked the number), none
    // when the number was already out. On a sender shared by several shops it names none of them.
    if (reading.confirmedByTwilio || !newlyOptedOut) return { reply: null };
    const oneShop = new Set(shoppers.map((s) => s.shop)).size <= 1 ? shop : null;
    return { reply: optOutConfirmation((await shopVoice(sql, oneShop))?.brand ?? null) };
  }
  if (keyword !== "help") return { reply: null };
  return { reply: await helpReplyFor(sql, shop) };
}

/** The keyword sign-up's request, kept on the shopper's timeline and in the inbox like any text. */
async function signUpByKeyword(sql: SqlDriver, shop: string, sms: InboundSms, reading: ReplyReading): Promise<{ reply: string | null }> {
  return sql.transaction(async (tx) => {
    const signup = await requestKeywordSignup(tx, shop, sms);
    if (!signup) return { reply: null };
    await recordReply(tx, { id: signup.shopperId, shop }, sms, reading);
    await recordInboundConversation(tx, shop, signup.shopperId, sms.now, false);
    return { reply: signup.reply };
  });
}

/** A text the merchant should answer: not a keyword, a Y, or an NPS score. It pauses the shopper's automated texts. */
function isQuestion(body: string, reading: ReplyReading): boolean {
  return reading.keyword === null && !isConfirmation(body) && parseNpsReply(body) === null;
}

/** True when the shopper's latest consent entry is an opt-out. */
function optedOut(shopper: LockedShopper): boolean {
  const log = readJourneyState(shopper.state, shopper.country).consentLog;
  return log.length > 0 && !consentStatus(log).granted;
}

/**
 * HELP names the shop's brand and support contact (one rule with the texts: brandFor). A
 * number no shop knows, on the app's shared sender, gets the reply without them.
 */
async function helpReplyFor(sql: SqlDriver, shop: string | null): Promise<string> {
  const voice = await shopVoice(sql, shop);
  if (!voice) return helpReply(null, null);
  if (!voice.contact) log.warn("HELP reply has no support contact: set one in Settings or a contact email in Shopify", { shop });
  return helpReply(voice.brand, voice.contact);
}

/** The brand a reply names and the support contact it gives, for one shop. */
async function shopVoice(sql: SqlDriver, shop: string | null): Promise<{ brand: string; contact: string | null } | null> {
  const [row] = shop
    ? await sql.query<{ domain: string; name: string | null; contact_email: string | null; settings: unknown }>("SELECT domain, name, contact_email, settings FROM shop WHERE domain = $1", [shop])
    : [];
  if (!row) return null;
  const { sending } = readShopSettings(row.domain, row.settings);
  return { brand: brandFor(row, sending), contact: supportContactFor({ contactEmail: row.contact_email }, sending) };
}

/** A shopper row for the number in each shop its sender texts for, to hold the opt-out. */
async function shoppersForUnknownNumber(sql: SqlDriver, from: string, account: TwilioAccountScope) {
  const phone = normalizePhone(from);
  if (!phone) return [];
  const shops = await sql.query<{ domain: string }>(
    `SELECT domain FROM shop WHERE uninstalled_at IS NULL AND ${"shop" in account ? "domain = $1" : "NOT (settings ? 'twilio')"}`,
    "shop" in account ? [account.shop] : [],
  );
  const created = [];
  for (const shop of shops) {
    const row = await sql.transaction((tx) => upsertShopper(tx, shop.domain, { phone: phone.e164, phoneRegion: phone.region, customerId: null }));
    if (row) created.push({ id: row.id, shop: shop.domain });
  }
  return created;
}

/**
 * The consent change a reply makes, if any. "Y" (or YES) confirms a pending double opt-in: a
 * confirmed opt-in for Shopify. Otherwise YES is Twilio's re-subscribe word, like START: a single
 * opt-in, since nothing was asked of the shopper in between.
 */
async function applyConsentReply(tx: SqlTx, shop: string, shopper: LockedShopper, reading: ReplyReading, sms: InboundSms): Promise<ConsentChange | null> {
  if (isConfirmation(sms.body) && (await confirmPendingOptIn(tx, shop, shopper, sms.now))) return { state: "SUBSCRIBED", optInLevel: "CONFIRMED_OPT_IN", at: sms.now };
  const { keyword } = reading;
  const events = consentEvents(keyword, sms.now);
  if (events.length === 0) return null;
  const wasSubscribed = consentStatus(readJourneyState(shopper.state, shopper.country).consentLog).granted;
  // The evidence of a change made by text: the text, the rule that read it, its SID; the time is the consent row's.
  const reply = { messageText: sms.body.slice(0, 1600), matchedRule: keyword === "stop" ? reading.optOutRule : "keyword:START", messageSid: sms.messageSid };
  await runJourneyForShopper(tx, shop, shopper, events, sms.now, { reply });
  if (keyword === "stop") return { state: "UNSUBSCRIBED", optInLevel: null, at: sms.now };
  // START from someone already subscribed changes nothing, and must not turn a confirmed opt-in into a single one.
  return wasSubscribed ? null : { state: "SUBSCRIBED", optInLevel: "SINGLE_OPT_IN", at: sms.now };
}

function isConfirmation(body: string): boolean {
  return /^(y|yes)[.!]?$/i.test(body.trim());
}

function consentEvents(keyword: ReplyReading["keyword"], now: Date): JourneyEvent[] {
  if (keyword === "stop") return [{ type: "opted_out", at: now.getTime(), source: "sms" }];
  if (keyword === "start") return [{ type: "opted_in", at: now.getTime(), source: "sms" }];
  return [];
}

/** How long after the NPS question a 0–10 reply still counts as its answer. */
const NPS_ANSWER_DAYS = 7;

async function recordReply(tx: SqlTx, shopper: { id: string; shop: string }, sms: InboundSms, reading: ReplyReading) {
  await tx.query(`INSERT INTO journey_event (shop, shopper_id, type, occurred_at, data) VALUES ($1, $2, 'sms_received', $3, $4::jsonb)`, [
    shopper.shop,
    shopper.id,
    sms.now,
    JSON.stringify({ body: sms.body.slice(0, 1600), messageSid: sms.messageSid, ...possibleOptOutFlag(reading.possibleOptOutRule) }),
  ]);
  // An NPS score only from a shopper who was asked in the last week, and only their first answer.
  // Never from a keyword or a text that may be an opt-out: those are not answers.
  const score = reading.keyword || reading.possibleOptOutRule ? null : parseNpsReply(sms.body);
  if (score === null) return;
  const [asked] = await tx.query<{ sent_at: Date }>(
    `SELECT m.sent_at FROM scheduled_message m
     WHERE m.shop = $1 AND m.shopper_id = $2 AND m.flow = 'nps_survey' AND m.status = 'sent' AND m.sent_at > $3
       AND NOT EXISTS (SELECT 1 FROM journey_event e WHERE e.shop = m.shop AND e.shopper_id = m.shopper_id AND e.type = 'nps' AND e.occurred_at >= m.sent_at)
     ORDER BY m.sent_at DESC LIMIT 1`,
    [shopper.shop, shopper.id, new Date(sms.now.getTime() - NPS_ANSWER_DAYS * 86_400_000)],
  );
  if (asked) {
    await tx.query(`INSERT INTO journey_event (shop, shopper_id, type, occurred_at, data) VALUES ($1, $2, 'nps', $3, $4::jsonb)`, [shopper.shop, shopper.id, sms.now, JSON.stringify({ score })]);
  }
}
