import type { ConsentSync } from "../adapters/shopify-consent.server";
import type { SqlDriver } from "../db/sql-driver.server";
import { runJourneyForShopper } from "./journey-runner.server";
import { lockShopper } from "./shoppers.server";

/** The merchant opts a shopper out from the admin: at once, pending texts cancelled, Shopify told. */
export async function optOutManually(sql: SqlDriver, shop: string, shopperId: string, now: Date, syncConsent: ConsentSync): Promise<boolean> {
  const customerId = await sql.transaction(async (tx) => {
    const shopper = await lockShopper(tx, shop, shopperId);
    if (!shopper) return undefined;
    const [row] = await tx.query<{ customer_id: string | null }>("SELECT customer_id FROM shopper WHERE shop = $1 AND id = $2", [shop, shopperId]);
    await runJourneyForShopper(tx, shop, shopper, [{ type: "opted_out", at: now.getTime(), source: "manual" }], now);
    return row?.customer_id ?? null;
  });
  if (customerId === undefined) return false;
  if (customerId) void syncConsent(shop, customerId, "UNSUBSCRIBED", now);
  return true;
}
