import type { z } from "zod";
import type { SqlTx } from "../db/sql-driver.server";
import { normalizePhone } from "../lib/phone";
import type { IngestContext } from "./ingest.server";
import { exactShopifyId, type CustomersRedactPayloadSchema } from "./payloads";

type CustomerRef = z.infer<typeof CustomersRedactPayloadSchema>["customer"];

/** app/uninstalled: nothing more may be sent for this shop, and its tokens are dead. */
export async function handleUninstalled(tx: SqlTx, ctx: IngestContext): Promise<string> {
  await tx.query("UPDATE shop SET uninstalled_at = $2, updated_at = now() WHERE domain = $1", [ctx.shop, ctx.now]);
  const cancelled = await tx.query(
    `UPDATE scheduled_message SET status = 'cancelled', reason = 'app_uninstalled', updated_at = now()
     WHERE shop = $1 AND status = 'scheduled' RETURNING id`,
    [ctx.shop],
  );
  await tx.query("DELETE FROM session WHERE shop = $1", [ctx.shop]);
  return `uninstalled:cancelled_${cancelled.length}`;
}

/**
 * customers/redact: erase the shopper's personal data. Orders stay (they are the merchant's
 * revenue figures) but lose their link to the person.
 */
export async function handleCustomerRedact(tx: SqlTx, ctx: IngestContext, payload: { customer: CustomerRef }): Promise<string> {
  const ids = await findCustomerShoppers(tx, ctx.shop, payload.customer);
  if (ids.length === 0) return "redact:no_data";
  for (const table of ["scheduled_message", "journey_event", "consent", "checkout"]) {
    await tx.query(`DELETE FROM ${table} WHERE shop = $1 AND shopper_id = ANY($2::uuid[])`, [ctx.shop, ids]);
  }
  await tx.query(`UPDATE "order" SET shopper_id = NULL WHERE shop = $1 AND shopper_id = ANY($2::uuid[])`, [ctx.shop, ids]);
  await tx.query("DELETE FROM shopper WHERE shop = $1 AND id = ANY($2::uuid[])", [ctx.shop, ids]);
  return `redact:${ids.length}`;
}

/**
 * customers/data_request: Shopify asks us to give the merchant what we hold about a customer.
 * We acknowledge, keep the receipt, and report how many shopper records match.
 */
export async function handleCustomerDataRequest(tx: SqlTx, ctx: IngestContext, payload: { customer: CustomerRef }): Promise<string> {
  const ids = await findCustomerShoppers(tx, ctx.shop, payload.customer);
  return `data_request:${ids.length}`;
}

/** shop/redact (48 h after uninstall): erase everything we hold for the shop. */
export async function handleShopRedact(tx: SqlTx, ctx: IngestContext): Promise<string> {
  for (const table of ["scheduled_message", "journey_event", "consent", "checkout", '"order"', "shopper", "session", "webhook_receipt"]) {
    await tx.query(`DELETE FROM ${table} WHERE shop = $1`, [ctx.shop]);
  }
  await tx.query("DELETE FROM shop WHERE domain = $1", [ctx.shop]);
  return "shop_redacted";
}

async function findCustomerShoppers(tx: SqlTx, shop: string, customer: CustomerRef): Promise<string[]> {
  const customerId = exactShopifyId("Customer", { id: customer.id });
  const phone = normalizePhone(customer.phone)?.e164 ?? null;
  const email = customer.email ?? null;
  if (!customerId && !phone && !email) return [];
  const rows = await tx.query<{ id: string }>(
    `SELECT id FROM shopper
     WHERE shop = $1 AND (customer_id = $2 OR phone = $3 OR lower(email) = lower($4))`,
    [shop, customerId, phone, email],
  );
  return rows.map((row) => row.id);
}
