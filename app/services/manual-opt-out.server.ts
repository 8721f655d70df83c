import { queueConsentSync } from "../consent-sync/queue.server";
import type { SqlDriver } from "../db/sql-driver.server";
import { runJourneyForShopper } from "./journey-runner.server";
import { lockShopper } from "./shoppers.server";

/**
 * The merchant opts a shopper out from the admin: at once, pending texts cancelled, and Shopify
 * told through the consent sync queued in the same transaction.
 */
export async function optOutManually(sql: SqlDriver, shop: string, shopperId: string, now: Date): Promise<boolean> {
  return sql.transaction(async (tx) => {
    const shopper = await lockShopper(tx, shop, shopperId);
    if (!shopper) return false;
    await runJourneyForShopper(tx, shop, shopper, [{ type: "opted_out", at: now.getTime(), source: "manual" }], now);
    await queueConsentSync(tx, shop, shopperId, { state: "UNSUBSCRIBED", optInLevel: null, at: now });
    return true;
  });
}
