/**
 * Pooled discount codes (docs/decisions/025-pooled-discount-codes.md): a busy offer's codes are
 * made ahead, many to one Shopify code discount, instead of one discount per text.
 *
 * - `codesPerCall`: Shopify's limit for one discountRedeemCodeBulkAdd
 *   (https://shopify.dev/docs/api/admin-graphql/latest/mutations/discountRedeemCodeBulkAdd).
 * - `minDemand`: a tick must want this many codes of one offer before a pool is started, so a
 *   quiet shop keeps one discount per text and never strands pooled codes.
 * - `lowWater`: a pool in use is filled again when fewer codes than this are free in it.
 * - `fillingStaleMs`: a fill older than this died with its process; another may start.
 * - `retryMs`: after a fill that added no codes (the pool was full or claimed elsewhere, or
 *   Shopify refused or failed), a process waits this long before asking again for that offer:
 *   each ask is two statements, and a failed fill a call to Shopify.
 */
export const POOL = { codesPerCall: 250, minDemand: 10, lowWater: 500, fillingStaleMs: 120_000, retryMs: 1_000 } as const;

/** Pool windows start a quarter hour ahead, so no window is filled for its last few minutes. */
const LEAD_MS = 15 * 60_000;
const HOUR_MS = 3_600_000;

/**
 * The window a pool filled now hands its codes out in: until the top of the hour at least 15
 * minutes away (so 15–75 minutes), and the discount's end, `hours` after that. A code taken at
 * any moment of the window is valid for at least the offer's hours, and at most 75 minutes more.
 */
export function poolWindow(now: Date, hours: number): { usableUntil: Date; endsAt: Date } {
  const usableUntil = new Date(Math.ceil((now.getTime() + LEAD_MS) / HOUR_MS) * HOUR_MS);
  return { usableUntil, endsAt: new Date(usableUntil.getTime() + hours * HOUR_MS) };
}

/** An offer a pool is kept for: one shop's flow, percent and hours. */
export interface PoolOffer {
  shop: string;
  flow: string;
  percent: number;
  hours: number;
}

/** One key per offer, to group a tick's demand. */
export const offerKey = (o: PoolOffer): string => `${o.shop}\n${o.flow}\n${o.percent}\n${o.hours}`;

/**
 * Whether a tick's demand for an offer should start (or top up) its pool: a busy tick, or one
 * that already took codes from the pool (the fill itself checks how many are left).
 */
export function wantsFill(demand: number, taken: number): boolean {
  return demand >= POOL.minDemand || taken > 0;
}
