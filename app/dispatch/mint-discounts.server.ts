import type { DiscountMinter } from "../adapters/shopify-discounts.server";
import type { SqlDriver } from "../db/sql-driver.server";
import { concurrencyLimit, type ConcurrencyLimit } from "../lib/concurrency-limit";
import { log } from "../lib/log.server";
import { generateDiscountCode } from "../offers/discount-code";
import type { ClaimedMessage } from "./claim.server";
import { DISPATCH_DEFAULTS } from "./defaults";
import type { OutboxFlow } from "./guards";

/** A message's code, ready to offer, or why there is none (the guards' reasons for deferring or skipping). */
export type PreparedDiscount = { code: string; percent: number } | { unavailable: string };

const TITLES: Record<OutboxFlow, string> = {
  welcome: "Nudge welcome",
  browse_abandonment: "Nudge browse",
  cart_abandonment: "Nudge cart",
  cart_recovery: "Nudge cart recovery",
  post_purchase: "Nudge next order",
  win_back: "Nudge win-back",
  nps_survey: "Nudge",
  confirm_optin: "Nudge",
  campaign: "Nudge campaign",
};

interface Recorded {
  message_id: string;
  code: string;
  percent: number;
  shopify_id: string | null;
  starts_at: Date;
  ends_at: Date;
}

/**
 * The codes a tick's messages offer, minted at Shopify before any of its chunks' send
 * transactions open, so no shopper or shop lock is held through a Shopify round trip (ADR 011,
 * amendment of 5 Dec 2026). Each message gets the code already recorded for it (so a retried or
 * recovered send reuses it), or a new single-use code recorded and committed before Shopify is
 * asked: a crash after the mint finds it on the retry, and asking Shopify again for the same
 * code answers TAKEN, which counts as success, so a message never has two codes at Shopify.
 * A recorded code with less than half its life left (its text was held back, e.g. by quiet
 * hours) is replaced by a fresh one; the old one expires unused. The whole tick's codes are
 * recorded in one statement and their Shopify ids in another (two per chunk cost PostgreSQL
 * and the worker more than the rows did, 7 Dec). Each shop's minter (its offline session,
 * DiscountMinter.forShop) is read once; `limit` bounds the calls to Shopify in flight. Returns
 * an entry for every message that offers a discount.
 */
export async function mintDiscounts(
  sql: SqlDriver,
  messages: readonly ClaimedMessage[],
  mintDiscount: DiscountMinter,
  now: Date,
  limit: ConcurrencyLimit = concurrencyLimit(DISPATCH_DEFAULTS.mintConcurrency),
): Promise<Map<string, PreparedDiscount>> {
  const offering = messages.filter((m): m is ClaimedMessage & { discount: NonNullable<ClaimedMessage["discount"]> } => m.discount !== null);
  const prepared = new Map<string, PreparedDiscount>();
  if (offering.length === 0) return prepared;
  const endsAtOf = (m: (typeof offering)[number]) => new Date(now.getTime() + m.discount.expiresInHours * 3_600_000);
  // Each shop's session is read while the codes are recorded.
  const minters = new Map<string, Promise<DiscountMinter>>();
  for (const { shop } of offering) {
    if (minters.has(shop)) continue;
    const minter = mintDiscount.forShop ? mintDiscount.forShop(shop) : Promise.resolve(mintDiscount);
    minter.catch(() => undefined); // awaited, and a failure handled, by each of the shop's mints
    minters.set(shop, minter);
  }
  const wanted = offering.map((m) => ({ message_id: m.id, shop: m.shop, shopper_id: m.shopper_id, code: generateDiscountCode(), percent: m.discount.percent, ends_at: endsAtOf(m) }));
  // One statement records new codes and reads the ones recorded before (a CTE's insert is not
  // visible to its own query's snapshot, so the two halves never overlap). A code that collides
  // with another of the shop's (40 bits, see discount-code.ts) is not inserted, and its message
  // waits for a retry with a new one.
  const recorded = await sql.query<Recorded>(
    `WITH wanted AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS v(message_id uuid, shop text, shopper_id uuid, code text, percent int, ends_at timestamptz)),
     inserted AS (
       INSERT INTO discount_code (shop, message_id, shopper_id, code, percent, starts_at, ends_at)
       SELECT shop, message_id, shopper_id, code, percent, $2, ends_at FROM wanted
       ON CONFLICT DO NOTHING
       RETURNING message_id, code, percent, shopify_id, starts_at, ends_at)
     SELECT * FROM inserted
     UNION ALL
     SELECT d.message_id, d.code, d.percent, d.shopify_id, d.starts_at, d.ends_at FROM discount_code d JOIN wanted w ON w.message_id = d.message_id`,
    [JSON.stringify(wanted), now],
  );
  const recordedOf = new Map(recorded.map((r) => [r.message_id, r]));
  const stale = recorded.filter((r) => r.shopify_id && new Date(r.ends_at).getTime() - now.getTime() < (new Date(r.ends_at).getTime() - new Date(r.starts_at).getTime()) / 2);
  if (stale.length > 0) await replaceCodes(sql, stale, now, (id) => endsAtOf(offering.find((m) => m.id === id)!));

  const toMint: { message: (typeof offering)[number]; code: string }[] = [];
  for (const message of offering) {
    const row = recordedOf.get(message.id);
    if (!row) prepared.set(message.id, { unavailable: "discount_unavailable" });
    else if (row.shopify_id) prepared.set(message.id, { code: row.code, percent: row.percent });
    else toMint.push({ message, code: row.code });
  }

  const minted: { message_id: string; shopify_id: string; ends_at: Date }[] = [];
  await Promise.all(
    toMint.map(async ({ message, code }) => {
      const endsAt = endsAtOf(message);
      const result = await limit(async () =>
        (await minters.get(message.shop)!)({ shop: message.shop, code, percent: message.discount.percent, startsAt: now, endsAt, title: `${TITLES[message.flow]} ${code}` }),
      ).catch((error: unknown): Awaited<ReturnType<DiscountMinter>> => {
        log.error("minting a discount code threw; the text waits for a retry", { messageId: message.id, shop: message.shop, error });
        return { ok: false, retryable: true, message: error instanceof Error ? error.message : String(error) };
      });
      if (!result.ok) {
        prepared.set(message.id, { unavailable: result.needsReauth ? "shop_needs_reauth" : result.retryable ? "discount_unavailable" : "discount_refused" });
        return;
      }
      minted.push({ message_id: message.id, shopify_id: result.id ?? "unknown", ends_at: endsAt });
      prepared.set(message.id, { code, percent: message.discount.percent });
    }),
  );
  if (minted.length > 0) {
    await sql.query(
      `UPDATE discount_code d SET shopify_id = v.shopify_id, starts_at = $2, ends_at = v.ends_at
       FROM jsonb_to_recordset($1::jsonb) AS v(message_id uuid, shopify_id text, ends_at timestamptz)
       WHERE d.message_id = v.message_id`,
      [JSON.stringify(minted), now],
    );
  }
  return prepared;
}

/** Gives stale codes' messages fresh codes (recorded, not yet at Shopify); updates `rows` in place. */
async function replaceCodes(sql: SqlDriver, rows: Recorded[], now: Date, endsAtOf: (messageId: string) => Date): Promise<void> {
  for (const row of rows) {
    row.code = generateDiscountCode();
    row.shopify_id = null;
  }
  await sql.query(
    `UPDATE discount_code d SET code = v.code, shopify_id = NULL, starts_at = $2, ends_at = v.ends_at
     FROM jsonb_to_recordset($1::jsonb) AS v(message_id uuid, code text, ends_at timestamptz)
     WHERE d.message_id = v.message_id`,
    [JSON.stringify(rows.map((r) => ({ message_id: r.message_id, code: r.code, ends_at: endsAtOf(r.message_id) }))), now],
  );
}
