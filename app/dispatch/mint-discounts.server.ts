import type { DiscountCodeAdder, DiscountMinter } from "../adapters/shopify-discounts.server";
import type { SqlDriver } from "../db/sql-driver.server";
import { concurrencyLimit, type ConcurrencyLimit } from "../lib/concurrency-limit";
import { log } from "../lib/log.server";
import { generateDiscountCode } from "../offers/discount-code";
import { offerKey, poolWindow, wantsFill } from "../offers/discount-pool";
import type { ClaimedMessage } from "./claim.server";
import { DISPATCH_DEFAULTS } from "./defaults";
import { startFills, type PoolFill } from "./discount-pool.server";
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
  const wanted = offering.map((m) => ({
    message_id: m.id,
    shop: m.shop,
    shopper_id: m.shopper_id,
    flow: m.flow,
    code: generateDiscountCode(),
    percent: m.discount.percent,
    hours: m.discount.expiresInHours,
    ends_at: endsAtOf(m),
  }));
  // One statement reads the codes recorded before, and records a code for each message without
  // one: the next free code of its offer's pool (ADR 025) where there is one, the pool whose
  // window ends first first, else a new code of its own. A data-modifying CTE's rows are seen by
  // the others only through RETURNING, so the steps never overlap. A tick takes from at most two
  // of an offer's batches, each locked SKIP LOCKED, so two workers never take the same code. A
  // code that collides with another of the shop's (40 bits, see discount-code.ts) is not
  // inserted, and its message waits for a retry with a new one. OFFSET 0 keeps the earlier codes' lookup one index probe per message: the
  // planner, guessing 100 messages, otherwise scans the whole table once per tick.
  const recorded = await sql.query<Recorded & { pooled: boolean }>(
    `WITH wanted AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS v(message_id uuid, shop text, shopper_id uuid, flow text, code text, percent int, hours int, ends_at timestamptz)),
     before AS (
       SELECT d.message_id, d.code, d.percent, d.shopify_id, d.starts_at, d.ends_at
       FROM wanted w CROSS JOIN LATERAL (SELECT * FROM discount_code d WHERE d.message_id = w.message_id OFFSET 0) d),
     fresh AS (
       SELECT w.*, row_number() OVER (PARTITION BY w.shop, w.flow, w.percent, w.hours ORDER BY w.message_id) AS k
       FROM wanted w WHERE NOT EXISTS (SELECT 1 FROM before b WHERE b.message_id = w.message_id)),
     offers AS (SELECT shop, flow, percent, hours, count(*) AS n FROM fresh GROUP BY shop, flow, percent, hours),
     batches AS (
       SELECT o.shop, o.flow, o.percent, o.hours, o.n, b.*,
              sum(b.free) OVER (PARTITION BY o.shop, o.flow, o.percent, o.hours ORDER BY b.usable_until, b.id) - b.free AS ahead
       FROM offers o CROSS JOIN LATERAL (
         SELECT b.id, b.codes, b.taken, cardinality(b.codes) - b.taken AS free, p.shopify_id, p.ends_at, p.usable_until
         FROM discount_pool p JOIN discount_pool_batch b ON b.pool_id = p.id
         WHERE p.shop = o.shop AND p.flow = o.flow AND p.percent = o.percent AND p.hours = o.hours AND p.usable_until > $2
           AND b.taken < cardinality(b.codes)
         ORDER BY p.usable_until, b.id LIMIT 2 FOR UPDATE OF b SKIP LOCKED) b),
     moved AS (
       UPDATE discount_pool_batch b SET taken = b.taken + least(t.free, greatest(t.n - t.ahead, 0))
       FROM batches t WHERE b.id = t.id AND t.n > t.ahead
       RETURNING b.id),
     pooled AS (
       SELECT t.shop, t.flow, t.percent, t.hours, t.ahead + j AS k, t.codes[t.taken + j] AS code, t.shopify_id, t.ends_at
       FROM batches t JOIN moved USING (id) CROSS JOIN LATERAL generate_series(1, least(t.free, t.n - t.ahead)) AS j),
     inserted AS (
       INSERT INTO discount_code (shop, message_id, shopper_id, code, percent, starts_at, ends_at, shopify_id)
       SELECT f.shop, f.message_id, f.shopper_id, coalesce(p.code, f.code), f.percent, $2, coalesce(p.ends_at, f.ends_at), p.shopify_id
       FROM fresh f LEFT JOIN pooled p USING (shop, flow, percent, hours, k)
       ON CONFLICT DO NOTHING
       RETURNING message_id, code, percent, shopify_id, starts_at, ends_at)
     SELECT *, false AS pooled FROM before
     UNION ALL SELECT *, shopify_id IS NOT NULL FROM inserted`,
    [JSON.stringify(wanted), now],
  );
  if (mintDiscount.bulk) fillPoolsFor(sql, mintDiscount, mintDiscount.bulk, offering, recorded, now);
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

/**
 * Starts filling the pools of the tick's busy offers, and of those it took pooled codes from
 * (discount-pool.server.ts decides whether each is low). The fill runs on after the tick.
 */
function fillPoolsFor(
  sql: SqlDriver,
  minter: DiscountMinter,
  bulk: DiscountCodeAdder,
  offering: readonly (ClaimedMessage & { discount: NonNullable<ClaimedMessage["discount"]> })[],
  recorded: readonly (Recorded & { pooled: boolean })[],
  now: Date,
): void {
  const pooled = new Set(recorded.filter((r) => r.pooled).map((r) => r.message_id));
  const demand = new Map<string, PoolFill & { demand: number; taken: number }>();
  for (const m of offering) {
    const offer = { shop: m.shop, flow: m.flow, percent: m.discount.percent, hours: m.discount.expiresInHours };
    const key = offerKey(offer);
    let entry = demand.get(key);
    if (!entry) {
      const until = poolWindow(now, offer.hours).usableUntil.toISOString().slice(0, 13);
      entry = { ...offer, title: `${TITLES[m.flow]} ${offer.percent}%, texts until ${until}h UTC`, demand: 0, taken: 0 };
    }
    entry.demand++;
    if (pooled.has(m.id)) entry.taken++;
    demand.set(key, entry);
  }
  const wanted = [...demand.values()].filter((o) => wantsFill(o.demand, o.taken)).map(({ shop, flow, percent, hours, title }) => ({ shop, flow, percent, hours, title }));
  if (wanted.length > 0) startFills(sql, minter, bulk, wanted, now);
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
