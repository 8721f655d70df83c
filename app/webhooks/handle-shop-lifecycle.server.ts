import type { z } from "zod";
import type { SqlTx } from "../db/sql-driver.server";
import { normalizePhone } from "../lib/phone";
import { stopOrderImport } from "../order-import/queue.server";
import { eraseShop } from "../privacy/erase-shop.server";
import { forgetCheckoutTokens } from "../privacy/forget-checkout-tokens.server";
import { redirectLinksHome } from "../privacy/redirect-links-home.server";
import type { IngestContext } from "./ingest.server";
import { forgetInboxWebhooksOf } from "./inbox.server";
import type { RedactedCustomer } from "./inbox-mentions";
import { exactShopifyId, type CustomersDataRequestPayloadSchema, type CustomersRedactPayloadSchema } from "./payloads";

type RedactPayload = z.infer<typeof CustomersRedactPayloadSchema>;
type DataRequestPayload = z.infer<typeof CustomersDataRequestPayloadSchema>;

/** app/uninstalled: nothing more may be sent for this shop, and its tokens are dead. */
export async function handleUninstalled(tx: SqlTx, ctx: IngestContext): Promise<string> {
  await tx.query("UPDATE shop SET uninstalled_at = $2, updated_at = now() WHERE domain = $1", [ctx.shop, ctx.now]);
  const cancelled = await tx.query(
    `UPDATE scheduled_message SET status = 'cancelled', reason = 'app_uninstalled', updated_at = now()
     WHERE shop = $1 AND status = 'scheduled' RETURNING id`,
    [ctx.shop],
  );
  await tx.query("DELETE FROM session WHERE shop = $1", [ctx.shop]);
  await stopOrderImport(tx, ctx.shop, ctx.now);
  return `uninstalled:cancelled_${cancelled.length}`;
}

/**
 * customers/redact: remove the person and keep the numbers. Phone, email, name, customer id,
 * message bodies, replies, consent evidence (IP, user agent), checkout contact details, the
 * recovery URL, the checkout tokens and the pixel's browser ties (storefront_visitor) go, and tracked links lead to the shop's home page; the
 * anonymous shopper row, message statuses and orders stay for the merchant's totals.
 */
export async function handleCustomerRedact(tx: SqlTx, ctx: IngestContext, payload: RedactPayload): Promise<string> {
  const ids = await findCustomerShoppers(tx, ctx.shop, payload.customer, payload.orders_to_redact);
  // Webhooks about them still waiting in the inbox go first, whether or not we hold them yet.
  const waiting = await forgetInboxWebhooksOf(tx, ctx.shop, await redactedCustomer(tx, ctx.shop, ids, payload), ctx.webhookId);
  if (ids.length === 0) return waiting > 0 ? `redact:inbox_${waiting}` : "redact:no_data";
  const scope = [ctx.shop, ids];
  await tx.query(
    `UPDATE scheduled_message SET body = NULL, status = CASE WHEN status = 'scheduled' THEN 'cancelled' ELSE status END,
       reason = CASE WHEN status = 'scheduled' THEN 'redacted' ELSE reason END, last_error = NULL, updated_at = now()
     WHERE shop = $1 AND shopper_id = ANY($2::uuid[])`,
    scope,
  );
  await tx.query("DELETE FROM journey_event WHERE shop = $1 AND shopper_id = ANY($2::uuid[])", scope);
  await tx.query("DELETE FROM consent WHERE shop = $1 AND shopper_id = ANY($2::uuid[])", scope);
  // The pixel's ties of browsers (client ids) to the shopper.
  await tx.query("DELETE FROM storefront_visitor WHERE shop = $1 AND shopper_id = ANY($2::uuid[])", scope);
  // The inbox's conversation with them (its texts are the journey events just deleted).
  await tx.query("DELETE FROM conversation WHERE shop = $1 AND shopper_id = ANY($2::uuid[])", scope);
  // A consent change still owed to Shopify names the customer: it goes too (Shopify is erasing them anyway).
  await tx.query("DELETE FROM consent_sync WHERE shop = $1 AND shopper_id = ANY($2::uuid[])", scope);
  // An earlier data export for this customer holds the same personal data.
  await tx.query(`DELETE FROM data_export WHERE shop = $1 AND EXISTS (SELECT 1 FROM unnest($2::uuid[]) AS s(id) WHERE data_export.payload::text LIKE '%' || s.id::text || '%')`, scope);
  await redirectLinksHome(tx, ctx.shop, ids);
  await forgetCheckoutTokens(tx, ctx.shop, ids);
  await tx.query(
    `UPDATE checkout SET email = NULL, phone = NULL, abandoned_checkout_url = NULL, updated_at = now()
     WHERE shop = $1 AND shopper_id = ANY($2::uuid[])`,
    scope,
  );
  await tx.query(
    `UPDATE shopper SET phone = NULL, email = NULL, first_name = NULL, customer_id = NULL, country = NULL,
       consent = 'redacted', state = '{}'::jsonb, updated_at = now()
     WHERE shop = $1 AND id = ANY($2::uuid[])`,
    scope,
  );
  return `redact:${ids.length}`;
}

/**
 * customers/data_request: gather what we hold about the customer (profile, consent evidence,
 * texts, replies and events, checkouts, orders) into a JSON export the merchant can deliver.
 */
export async function handleCustomerDataRequest(tx: SqlTx, ctx: IngestContext, payload: DataRequestPayload): Promise<string> {
  const ids = await findCustomerShoppers(tx, ctx.shop, payload.customer, payload.orders_requested);
  const scope = [ctx.shop, ids];
  const pick = (sql: string) => tx.query(sql, scope);
  const exported = {
    shoppers: await pick(`SELECT id, phone, email, first_name, customer_id, country, stage, consent, order_count, created_at FROM shopper WHERE shop = $1 AND id = ANY($2::uuid[])`),
    consents: await pick(
      `SELECT shopper_id, phone, status, source, collected_at, ip, user_agent, page_url, disclosure_text, disclosure_version,
              message_text, matched_rule, message_sid
       FROM consent WHERE shop = $1 AND shopper_id = ANY($2::uuid[]) ORDER BY collected_at`,
    ),
    messages: await pick(
      `SELECT shopper_id, flow, step, status, reason, body, sent_at, delivery_status FROM scheduled_message
       WHERE shop = $1 AND shopper_id = ANY($2::uuid[]) ORDER BY created_at`,
    ),
    events: await pick(`SELECT shopper_id, type, occurred_at, data FROM journey_event WHERE shop = $1 AND shopper_id = ANY($2::uuid[]) ORDER BY occurred_at`),
    checkouts: await pick(`SELECT token, email, phone, total_price, currency, line_items, started_at, completed_at FROM checkout WHERE shop = $1 AND shopper_id = ANY($2::uuid[])`),
    orders: await pick(`SELECT shopify_order_id, name, total_price, currency, placed_at FROM "order" WHERE shop = $1 AND shopper_id = ANY($2::uuid[])`),
    storefrontVisitors: await pick(`SELECT client_id, created_at, last_seen_at FROM storefront_visitor WHERE shop = $1 AND shopper_id = ANY($2::uuid[])`),
  };
  await tx.query(`INSERT INTO data_export (shop, request_id, customer, payload, requested_at) VALUES ($1, $2, $3::jsonb, $4::jsonb, $5)`, [
    ctx.shop,
    payload.data_request?.id != null ? String(payload.data_request.id) : null,
    JSON.stringify(payload.customer),
    JSON.stringify(exported),
    ctx.now,
  ]);
  return `data_request:${ids.length}`;
}

/** shop/redact (48 h after uninstall): erase everything we hold for the shop, in every table. */
export async function handleShopRedact(tx: SqlTx, ctx: IngestContext): Promise<string> {
  const deleted = await eraseShop(tx, ctx.shop);
  return `shop_redacted:${Object.values(deleted).reduce((sum, n) => sum + n, 0)}`;
}

/** Every identifier of the customer: the payload's, and those of the shoppers it matched (their phone may be one the payload lacks). */
async function redactedCustomer(tx: SqlTx, shop: string, ids: string[], payload: RedactPayload): Promise<RedactedCustomer> {
  const held = await tx.query<{ phone: string | null; email: string | null; customer_id: string | null }>("SELECT phone, email, customer_id FROM shopper WHERE shop = $1 AND id = ANY($2::uuid[])", [
    shop,
    ids,
  ]);
  const customerId = exactShopifyId("Customer", { id: payload.customer.id });
  const phone = (normalizePhone(payload.customer.phone) ?? normalizePhone(payload.customer.phone, "US"))?.e164;
  const present = <T>(values: (T | null | undefined)[]) => [...new Set(values.filter((v): v is T => v != null && v !== ""))];
  const customerIds = present([customerId, ...held.map((h) => h.customer_id)]);
  return {
    phones: present([phone, ...held.map((h) => h.phone)]),
    emails: present([payload.customer.email, ...held.map((h) => h.email)]),
    customerIds,
    gids: [
      ...customerIds.map((id) => `gid://shopify/Customer/${id}`),
      ...payload.orders_to_redact
        .map(String)
        .filter((id) => /^\d{1,20}$/.test(id))
        .map((id) => `gid://shopify/Order/${id}`),
    ],
  };
}

async function findCustomerShoppers(tx: SqlTx, shop: string, customer: RedactPayload["customer"], orderIds: (number | string)[]): Promise<string[]> {
  const customerId = exactShopifyId("Customer", { id: customer.id });
  // Compliance payloads may carry a national number ("555-625-1199"); our phones are E.164.
  const phone = (normalizePhone(customer.phone) ?? normalizePhone(customer.phone, "US"))?.e164 ?? null;
  const email = customer.email ?? null;
  const orders = orderIds.map(String).filter((id) => /^\d{1,20}$/.test(id));
  const rows = await tx.query<{ id: string }>(
    `SELECT id FROM shopper
     WHERE shop = $1 AND (customer_id = $2 OR phone = $3 OR lower(email) = lower($4)
       OR id IN (SELECT shopper_id FROM "order" WHERE shop = $1 AND shopify_order_id = ANY($5::text[])))`,
    [shop, customerId, phone, email, orders],
  );
  return rows.map((row) => row.id);
}
