import type { ConsentSync } from "../adapters/shopify-consent.server";
import type { SqlDriver } from "../db/sql-driver.server";
import { runJourney } from "./journey-runner.server";
import { lockShopper } from "./shoppers.server";
import { readShopSettings } from "./shops.server";

/** The merchant opts a shopper out from the admin: at once, pending texts cancelled, Shopify told. */
export async function optOutManually(sql: SqlDriver, shop: string, shopperId: string, now: Date, syncConsent: ConsentSync): Promise<boolean> {
  const customerId = await sql.transaction(async (tx) => {
    const shopper = await lockShopper(tx, shop, shopperId);
    if (!shopper) return undefined;
    const [row] = await tx.query<{ settings: unknown; customer_id: string | null }>(
      "SELECT sh.settings, s.customer_id FROM shop sh JOIN shopper s ON s.shop = sh.domain WHERE sh.domain = $1 AND s.id = $2",
      [shop, shopperId],
    );
    await runJourney(tx, {
      shop,
      shopper,
      events: [{ type: "opted_out", at: now.getTime(), source: "manual" }],
      now,
      settings: readShopSettings(shop, row?.settings).journey,
    });
    return row?.customer_id ?? null;
  });
  if (customerId === undefined) return false;
  if (customerId) void syncConsent(shop, customerId, "UNSUBSCRIBED", now);
  return true;
}
