import type { DiscountCodeAdder, DiscountMinter } from "../adapters/shopify-discounts.server";
import type { SqlDriver } from "../db/sql-driver.server";
import { log } from "../lib/log.server";
import { generateDiscountCode } from "../offers/discount-code";
import { offerKey, POOL, poolWindow, type PoolOffer } from "../offers/discount-pool";

/** An offer whose pool a tick wants filled, with the title its Shopify discount gets. */
export interface PoolFill extends PoolOffer {
  title: string;
}

/** Fills under way in this process (the worker awaits them when it stops; tests too). */
const fills = new Set<Promise<void>>();
/** Offers this process is filling, and when it may next ask for those whose last ask filled nothing (POOL.retryMs). */
const filling = new Set<string>();
const notBefore = new Map<string, number>();

/**
 * Starts filling each offer's pool in the background, where no fill is under way and the pool
 * is low (ADR 025). A tick never waits for a fill: until codes are ready, its texts get codes of
 * their own, minted one by one as before.
 */
export function startFills(sql: SqlDriver, minter: DiscountMinter, bulk: DiscountCodeAdder, wanted: readonly PoolFill[], now: Date): void {
  if (notBefore.size > 10_000) notBefore.clear();
  for (const offer of wanted) {
    const key = offerKey(offer);
    if (filling.has(key) || Date.now() < (notBefore.get(key) ?? 0)) continue;
    filling.add(key);
    const fill = fillPool(sql, minter, bulk, offer, now).then(
      (filled) => void (filled ? notBefore.delete(key) : notBefore.set(key, Date.now() + POOL.retryMs)),
      (error: unknown) => log.warn("a discount code pool was not filled", { shop: offer.shop, flow: offer.flow, error }),
    );
    fills.add(fill);
    void fill.finally(() => (fills.delete(fill), filling.delete(key)));
  }
}

/** Resolves once every fill this process started has ended. */
export async function settleFills(): Promise<void> {
  while (fills.size > 0) await Promise.allSettled([...fills]);
}

interface ClaimedPool {
  id: string;
  shopify_id: string | null;
  ends_at: Date;
}

/**
 * One fill of the pool for the window under way: claims it (one fill per pool at a time across
 * processes, through `filling_since`), makes the pool's Shopify discount with a first code if it
 * has none yet, adds codesPerCall more in bulk, waits for Shopify to finish, and only then
 * records the codes Shopify made as a batch of free codes. A text only ever takes a recorded
 * code, so a fill that dies part way hands out nothing; codes it got made stay unknown at
 * Shopify until the discount ends. Only codes Shopify reports as created are recorded: not one
 * it refused (one the shop already has, say), nor one its report leaves out. Returns whether it added codes.
 */
async function fillPool(sql: SqlDriver, minter: DiscountMinter, bulk: DiscountCodeAdder, offer: PoolFill, now: Date): Promise<boolean> {
  const pool = await claimPool(sql, offer, now);
  if (!pool) return false;
  try {
    let discountId = pool.shopify_id;
    if (!discountId) {
      const first = generateDiscountCode();
      const shopMinter = minter.forShop ? await minter.forShop(offer.shop) : minter;
      const made = await shopMinter({ shop: offer.shop, code: first, percent: offer.percent, startsAt: now, endsAt: new Date(pool.ends_at), title: offer.title });
      if (!made.ok || !made.id) return false;
      discountId = made.id;
      await sql.query(`UPDATE discount_pool SET shopify_id = $2 WHERE id = $1`, [pool.id, discountId]);
      await recordFree(sql, offer, pool, [first]);
    }
    const codes = Array.from({ length: POOL.codesPerCall }, () => generateDiscountCode());
    const added = await bulk.add(offer.shop, discountId, codes);
    if (!added.ok) return false;
    const created = await waitForCodes(bulk, offer.shop, added.bulkId);
    if (created === null) return false;
    const made = codes.filter((code) => created.has(code));
    await recordFree(sql, offer, pool, made);
    log.info("discount code pool filled", { shop: offer.shop, flow: offer.flow, percent: offer.percent, codes: made.length, refused: codes.length - made.length });
    return true;
  } finally {
    await sql.query(`UPDATE discount_pool SET filling_since = NULL WHERE id = $1`, [pool.id]);
  }
}

/**
 * The window's pool, made if new, with its fill claimed: only when no live fill holds it and
 * fewer than POOL.lowWater of its codes are free. A fill's age is the database's wall time, not
 * the app's clock: it says whether a process is still at work.
 */
async function claimPool(sql: SqlDriver, offer: PoolOffer, now: Date): Promise<ClaimedPool | null> {
  const { usableUntil, endsAt } = poolWindow(now, offer.hours);
  const key = [offer.shop, offer.flow, offer.percent, offer.hours, usableUntil];
  await sql.query(
    `INSERT INTO discount_pool (shop, flow, percent, hours, usable_until, ends_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (shop, flow, percent, hours, usable_until) DO NOTHING`,
    [...key, endsAt],
  );
  const [pool] = await sql.query<ClaimedPool>(
    `UPDATE discount_pool p SET filling_since = now()
     WHERE p.shop = $1 AND p.flow = $2 AND p.percent = $3 AND p.hours = $4 AND p.usable_until = $5
       AND (p.filling_since IS NULL OR p.filling_since < now() - make_interval(secs => $6))
       AND (SELECT coalesce(sum(cardinality(b.codes) - b.taken), 0) FROM discount_pool_batch b WHERE b.pool_id = p.id) < $7
     RETURNING p.id, p.shopify_id, p.ends_at`,
    [...key, POOL.fillingStaleMs / 1000, POOL.lowWater],
  );
  return pool ?? null;
}

/** Records codes Shopify made as a batch of the pool's free codes. */
async function recordFree(sql: SqlDriver, offer: PoolOffer, pool: ClaimedPool, codes: readonly string[]): Promise<void> {
  if (codes.length === 0) return;
  await sql.query(`INSERT INTO discount_pool_batch (shop, pool_id, codes) VALUES ($1, $2, $3::text[])`, [offer.shop, pool.id, codes]);
}

/** Polls Shopify's bulk creation, backing off, until it is done: the codes it created, or null if it never finished. */
async function waitForCodes(bulk: DiscountCodeAdder, shop: string, bulkId: string): Promise<Set<string> | null> {
  for (let waitMs = 100, waited = 0; waited < POOL.fillingStaleMs / 2; waited += waitMs, waitMs = Math.min(waitMs * 2, 5_000)) {
    await new Promise((resolve) => setTimeout(resolve, waitMs));
    const status = await bulk.added(shop, bulkId);
    if (status.ok && status.done) return new Set(status.created);
  }
  log.warn("Shopify's bulk discount code creation did not finish in time; its codes are not used", { shop, bulkId });
  return null;
}

/**
 * Housekeeping: deletes pools whose window ended, with their batches. Codes no text took stay
 * at Shopify, never given to anyone, until the discount ends; taken ones are their messages'
 * discount_code rows.
 */
export async function prunePools(sql: SqlDriver, now: Date): Promise<number> {
  const [row] = await sql.query<{ n: number }>(`WITH gone AS (DELETE FROM discount_pool WHERE usable_until <= $1 RETURNING 1) SELECT count(*)::int AS n FROM gone`, [now]);
  return row?.n ?? 0;
}
