import type { SqlTx } from "../db/sql-driver.server";
import type { IngestContext } from "./ingest.server";
import type { ShopUpdatePayload } from "./payloads";

/**
 * shop/update: the merchant renamed the shop, changed its currency, time zone, contact email
 * or address. Fields the body leaves out keep their stored value. Webhooks can arrive out of
 * order (shopify.dev/docs/apps/build/webhooks/best-practices), so a body older than the
 * details we hold (from the Admin API read or a later update) changes nothing.
 */
export async function handleShopUpdate(tx: SqlTx, ctx: IngestContext, shop: ShopUpdatePayload): Promise<string> {
  const asOf = shop.updated_at ?? ctx.now;
  const updated = await tx.query(
    `UPDATE shop SET name = COALESCE($2, name), currency = COALESCE($3, currency), timezone = COALESCE($4, timezone),
       contact_email = COALESCE($5, contact_email), country = COALESCE($6, country), details_at = $7, updated_at = now()
     WHERE domain = $1 AND (details_at IS NULL OR details_at <= $7)
     RETURNING domain`,
    [ctx.shop, shop.name?.trim() || null, shop.currency ?? null, shop.iana_timezone, shop.customer_email?.trim() || null, shop.country_code ?? null, asOf],
  );
  return updated.length > 0 ? "shop_details_updated" : "shop_details_stale";
}
