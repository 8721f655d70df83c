import type { SqlDriver, SqlTx } from "../db/sql-driver.server";
import { consentStatus } from "../journey";
import { readJourneyState } from "../journey/state-schema";
import { log, maskPhone } from "../lib/log.server";
import { normalizePhone } from "../lib/phone";
import { brandFor } from "../messaging/brand";
import { DEFAULT_SIGNUP_KEYWORD, keywordConfirmation, keywordOf } from "../messaging/signup-keyword";
import type { TwilioAccountScope } from "../twilio/verify.server";
import { upsertShopper } from "./shoppers.server";
import { readShopSettings } from "./shops.server";

/** Written to consent.disclosure_version for a keyword sign-up: the confirmation text's wording. */
const KEYWORD_DISCLOSURE_VERSION = "keyword-confirmation-v1";

// A shop's keyword as stored, JOIN when it has none (kept in SQL so one query finds the shop).
const KEYWORD_SQL = `COALESCE(settings->'sending'->>'signupKeyword', '${DEFAULT_SIGNUP_KEYWORD}')`;
// The shops a sender texts for: one shop's own account, or every shop on the app's shared one.
const senderScope = (account: TwilioAccountScope, param: string) => ("shop" in account ? `domain = ${param}` : "NOT (settings ? 'twilio')");

/**
 * The shop whose sign-up keyword this text is, on the sender it was sent to, or null. On the
 * shared sender keywords are unique (checked on save: signupKeywordTaken); should two shops
 * still share one there, the text signs up to neither and is kept as an ordinary reply.
 */
export async function keywordShop(sql: SqlDriver, body: string, account: TwilioAccountScope): Promise<string | null> {
  const word = keywordOf(body);
  if (!word) return null;
  const rows = await sql.query<{ domain: string }>(
    `SELECT domain FROM shop WHERE uninstalled_at IS NULL AND ${KEYWORD_SQL} = $1 AND ${senderScope(account, "$2")}`,
    "shop" in account ? [word, account.shop] : [word],
  );
  if (rows.length > 1) log.warn("a sign-up keyword is shared by several shops on the shared sender; no sign-up", { word, shops: rows.map((r) => r.domain) });
  return rows.length === 1 ? rows[0]!.domain : null;
}

/**
 * True when another shop on the same sender as `shop` already answers to `keyword`: on the
 * app's shared number a keyword can name one shop only. A shop with its own Twilio account
 * has its own number, so its keyword is its own.
 */
export async function signupKeywordTaken(sql: SqlDriver, shop: string, keyword: string): Promise<boolean> {
  const [row] = await sql.query<{ taken: boolean }>(
    `SELECT EXISTS (
       SELECT 1 FROM shop o, shop me
       WHERE me.domain = $1 AND o.domain <> $1 AND o.uninstalled_at IS NULL
         AND NOT (me.settings ? 'twilio') AND NOT (o.settings ? 'twilio')
         AND COALESCE(o.settings->'sending'->>'signupKeyword', '${DEFAULT_SIGNUP_KEYWORD}') = $2) AS taken`,
    [shop, keyword],
  );
  return row?.taken ?? false;
}

export interface KeywordSignup {
  shopperId: string;
  reply: string;
}

/**
 * "JOIN" texted to the shop's number. The request is not consent (CTIA Messaging Principles and
 * Best Practices, 5.1: the consumer confirms): it is kept as a pending consent with its
 * evidence (the text, "keyword:<WORD>", the message SID, the number, the time, and the
 * confirmation it was answered with), and the reply asks for Y. The Y goes through
 * confirmPendingOptIn like a storefront double opt-in. A subscribed shopper is told so.
 */
export async function requestKeywordSignup(tx: SqlTx, shop: string, sms: { from: string; body: string; messageSid: string; now: Date }): Promise<KeywordSignup | null> {
  const phone = normalizePhone(sms.from);
  const [row] = await tx.query<{ domain: string; name: string | null; settings: unknown }>("SELECT domain, name, settings FROM shop WHERE domain = $1", [shop]);
  if (!phone || !row) return null;
  const shopper = await upsertShopper(tx, shop, { phone: phone.e164, phoneRegion: phone.region, customerId: null });
  if (!shopper) return null;
  const brand = brandFor(row, readShopSettings(shop, row.settings).sending);
  if (consentStatus(readJourneyState(shopper.state, shopper.country).consentLog).granted) {
    return { shopperId: shopper.id, reply: `${brand}: You're already subscribed. Reply HELP for help, STOP to opt out.` };
  }
  const reply = keywordConfirmation(brand);
  await tx.query(
    `INSERT INTO consent (shop, shopper_id, phone, status, source, collected_at, disclosure_text, disclosure_version, message_text, matched_rule, message_sid)
     VALUES ($1, $2, $3, 'pending', 'keyword', $4, $5, $6, $7, $8, $9)`,
    [shop, shopper.id, phone.e164, sms.now, reply, KEYWORD_DISCLOSURE_VERSION, sms.body.slice(0, 1600), `keyword:${keywordOf(sms.body)}`, sms.messageSid],
  );
  await tx.query("UPDATE shopper SET consent = 'pending', updated_at = now() WHERE shop = $1 AND id = $2 AND consent <> 'granted'", [shop, shopper.id]);
  log.info("keyword sign-up requested; waiting for Y", { shop, from: maskPhone(phone.e164) });
  return { shopperId: shopper.id, reply };
}
