import type { SqlDriver, SqlTx } from "../db/sql-driver.server";
import type { JourneyEvent } from "../journey";
import { runJourneyForShopper, type JourneyRunResult } from "./journey-runner.server";
import { lockShopper } from "./shoppers.server";

export type StorefrontEvent = Extract<JourneyEvent, { type: "product_viewed" | "cart_item_added" }>;

/**
 * Storefront behaviour (product views, cart adds) for a shopper we already know, through the
 * journey in one transaction: the browse and cart abandonment flows plan or cancel their texts
 * from it (issue #18). Null when the shopper isn't this shop's. The pixel collector resolves
 * who the visitor is; this is what it does with a known shopper's events.
 */
export async function feedStorefrontEvents(sql: SqlDriver, input: { shop: string; shopperId: string; events: StorefrontEvent[]; now: Date }): Promise<JourneyRunResult | null> {
  if (input.events.length === 0) return null;
  return sql.transaction((tx) => applyStorefrontEvents(tx, input));
}

/** feedStorefrontEvents inside a transaction the caller holds (the pixel collector's, the popup's). */
export async function applyStorefrontEvents(tx: SqlTx, input: { shop: string; shopperId: string; events: StorefrontEvent[]; now: Date }): Promise<JourneyRunResult | null> {
  if (input.events.length === 0) return null;
  const shopper = await lockShopper(tx, input.shop, input.shopperId);
  if (!shopper) return null;
  return runJourneyForShopper(tx, input.shop, shopper, input.events, input.now);
}
