import { queueConsentSync, type ConsentChange } from "../consent-sync/queue.server";
import type { SqlDriver, SqlTx } from "../db/sql-driver.server";
import { consentStatus, type JourneyEvent } from "../journey";
import { readJourneyState } from "../journey/state-schema";
import { log, maskPhone } from "../lib/log.server";
import type { TwilioAccountScope } from "../twilio/verify.server";
import { classifyReply, type ReplyKeyword } from "../messaging/keywords";
import { parseNpsReply } from "../messaging/nps";
import { brandFor, supportContactFor } from "../messaging/brand";
import { helpReply } from "../messaging/compliance";
import { runJourneyForShopper } from "./journey-runner.server";
import { confirmPendingOptIn } from "./popup-optin.server";
import { normalizePhone } from "../lib/phone";
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
 * A text from a shopper. STOP (and the other opt-out words) opts the number out at once in
 * every shop that texts it from that sender, cancelling everything pending; START opts back in;
 * HELP gets a reply. Everything is kept on the shopper's timeline; a 0–10 answer to the NPS
 * question is an NPS score. A consent change is queued for Shopify in the same
 * transaction (app/consent-sync). Returns the reply to send, if any.
 */
export async function handleInboundSms(sql: SqlDriver, sms: InboundSms, account: TwilioAccountScope): Promise<{ reply: string | null }> {
  const keyword = classifyReply(sms.body, sms.optOutType);
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

  for (const shopper of shoppers) {
    await sql.transaction(async (tx) => {
      const locked = await lockShopper(tx, shopper.shop, shopper.id);
      if (!locked) return;
      await recordReply(tx, shopper, sms, keyword);
      const change = await applyConsentReply(tx, shopper.shop, locked, keyword, sms);
      if (change) await queueConsentSync(tx, shopper.shop, shopper.id, change);
    });
  }

  if (keyword !== "help") return { reply: null };
  return { reply: await helpReplyFor(sql, shoppers[0]?.shop ?? ("shop" in account ? account.shop : null)) };
}

/**
 * HELP names the shop's brand and support contact (one rule with the texts: brandFor). A
 * number no shop knows, on the app's shared sender, gets the reply without them.
 */
async function helpReplyFor(sql: SqlDriver, shop: string | null): Promise<string> {
  const [row] = shop
    ? await sql.query<{ domain: string; name: string | null; contact_email: string | null; settings: unknown }>(
        "SELECT domain, name, contact_email, settings FROM shop WHERE domain = $1",
        [shop],
      )
    : [];
  if (!row) return helpReply(null, null);
  const { sending } = readShopSettings(row.domain, row.settings);
  const contact = supportContactFor({ contactEmail: row.contact_email }, sending);
  if (!contact) log.warn("HELP reply has no support contact: set one in Settings or a contact email in Shopify", { shop: row.domain });
  return helpReply(brandFor(row, sending), contact);
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
async function applyConsentReply(tx: SqlTx, shop: string, shopper: LockedShopper, keyword: ReplyKeyword | null, sms: InboundSms): Promise<ConsentChange | null> {
  if (isConfirmation(sms.body) && (await confirmPendingOptIn(tx, shop, shopper, sms.now))) return { state: "SUBSCRIBED", optInLevel: "CONFIRMED_OPT_IN", at: sms.now };
  const events = consentEvents(keyword, sms.now);
  if (events.length === 0) return null;
  const wasSubscribed = consentStatus(readJourneyState(shopper.state, shopper.country).consentLog).granted;
  await runJourneyForShopper(tx, shop, shopper, events, sms.now);
  if (keyword === "stop") return { state: "UNSUBSCRIBED", optInLevel: null, at: sms.now };
  // START from someone already subscribed changes nothing, and must not turn a confirmed opt-in into a single one.
  return wasSubscribed ? null : { state: "SUBSCRIBED", optInLevel: "SINGLE_OPT_IN", at: sms.now };
}

function isConfirmation(body: string): boolean {
  return /^(y|yes)[.!]?$/i.test(body.trim());
}

function consentEvents(keyword: ReplyKeyword | null, now: Date): JourneyEvent[] {
  if (keyword === "stop") return [{ type: "opted_out", at: now.getTime(), source: "sms" }];
  if (keyword === "start") return [{ type: "opted_in", at: now.getTime(), source: "sms" }];
  return [];
}

/** How long after the NPS question a 0–10 reply still counts as its answer. */
const NPS_ANSWER_DAYS = 7;

async function recordReply(tx: SqlTx, shopper: { id: string; shop: string }, sms: InboundSms, keyword: ReplyKeyword | null) {
  await tx.query(
    `INSERT INTO journey_event (shop, shopper_id, type, occurred_at, data) VALUES ($1, $2, 'sms_received', $3, $4::jsonb)`,
    [shopper.shop, shopper.id, sms.now, JSON.stringify({ body: sms.body.slice(0, 1600), messageSid: sms.messageSid })],
  );
  // An NPS score only from a shopper who was asked in the last week, and only their first answer.
  const score = keyword ? null : parseNpsReply(sms.body);
  if (score === null) return;
  const [asked] = await tx.query<{ sent_at: Date }>(
    `SELECT m.sent_at FROM scheduled_message m
     WHERE m.shop = $1 AND m.shopper_id = $2 AND m.flow = 'nps_survey' AND m.status = 'sent' AND m.sent_at > $3
       AND NOT EXISTS (SELECT 1 FROM journey_event e WHERE e.shop = m.shop AND e.shopper_id = m.shopper_id AND e.type = 'nps' AND e.occurred_at >= m.sent_at)
     ORDER BY m.sent_at DESC LIMIT 1`,
    [shopper.shop, shopper.id, new Date(sms.now.getTime() - NPS_ANSWER_DAYS * 86_400_000)],
  );
  if (asked) {
    await tx.query(`INSERT INTO journey_event (shop, shopper_id, type, occurred_at, data) VALUES ($1, $2, 'nps', $3, $4::jsonb)`, [
      shopper.shop,
      shopper.id,
      sms.now,
      JSON.stringify({ score }),
    ]);
  }
}
