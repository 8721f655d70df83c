import { z } from "zod";
import type { OrderPayload } from "../webhooks/payloads";
import { orderToJourney } from "../webhooks/to-journey";

// One line of the order-history export (the query in adapters/shopify-order-history.server.ts),
// read into the shape orders/create delivers, so an imported order maps to a shopper, consent
// and journey events exactly as the webhook's would. Pure: no I/O.

const Gid = (resource: string) =>
  z
    .string()
    .regex(new RegExp(`^gid://shopify/${resource}/\\d{1,20}$`))
    .transform((gid) => gid.slice(gid.lastIndexOf("/") + 1));
const Timestamp = z.iso.datetime({ offset: true }).transform((value) => new Date(value));
const Money = z.object({ amount: z.string().regex(/^-?\d{1,12}(\.\d{1,4})?$/), currencyCode: z.string().regex(/^[A-Z]{3}$/) });
const Country = z.object({ countryCodeV2: z.string().nullish() }).nullish();

const BulkOrderSchema = z.object({
  id: Gid("Order"),
  name: z.string().max(255).nullish(),
  phone: z.string().max(64).nullish(),
  email: z.string().max(320).nullish(),
  createdAt: Timestamp,
  processedAt: Timestamp.nullish(),
  totalPriceSet: z.object({ shopMoney: Money, presentmentMoney: Money }),
  customer: z
    .object({
      id: Gid("Customer"),
      firstName: z.string().max(255).nullish(),
      defaultEmailAddress: z.object({ emailAddress: z.string().max(320) }).nullish(),
      defaultPhoneNumber: z.object({ phoneNumber: z.string().max(64), marketingState: z.string(), marketingUpdatedAt: Timestamp.nullish() }).nullish(),
    })
    .nullish(),
  shippingAddress: Country,
  billingAddress: Country,
});
export type BulkOrder = z.infer<typeof BulkOrderSchema>;

/** An export line as the orders/create payload it stands for. */
function bulkOrderAsPayload(order: BulkOrder): OrderPayload {
  const { shopMoney, presentmentMoney } = order.totalPriceSet;
  const customer = order.customer;
  const phone = customer?.defaultPhoneNumber;
  return {
    id: order.id,
    name: order.name ?? null,
    checkout_token: null,
    cart_token: null,
    email: order.email ?? null,
    phone: order.phone ?? null,
    created_at: order.createdAt,
    processed_at: order.processedAt ?? null,
    currency: shopMoney.currencyCode,
    presentment_currency: presentmentMoney.currencyCode,
    total_price: shopMoney.amount,
    total_price_set: {
      shop_money: { amount: shopMoney.amount, currency_code: shopMoney.currencyCode },
      presentment_money: { amount: presentmentMoney.amount, currency_code: presentmentMoney.currencyCode },
    },
    discount_codes: [],
    customer: customer
      ? {
          id: customer.id,
          first_name: customer.firstName ?? null,
          email: customer.defaultEmailAddress?.emailAddress ?? null,
          phone: phone?.phoneNumber ?? null,
          // GraphQL's SUBSCRIBED / UNSUBSCRIBED / REDACTED are the webhook's states in capitals.
          sms_marketing_consent: phone ? { state: phone.marketingState.toLowerCase(), consent_updated_at: phone.marketingUpdatedAt ?? null } : null,
        }
      : null,
    billing_address: order.billingAddress ? { country_code: order.billingAddress.countryCodeV2 ?? null } : null,
    shipping_address: order.shippingAddress ? { country_code: order.shippingAddress.countryCodeV2 ?? null } : null,
  };
}

/** Identity, events (the order marked imported) and the order's row values for one export line. */
export function importedOrder(order: BulkOrder) {
  const payload = bulkOrderAsPayload(order);
  const { identity, events, placedAt } = orderToJourney(payload);
  return {
    payload,
    identity,
    placedAt,
    events: events.map((event) => (event.type === "order_created" ? { ...event, imported: true } : event)),
  };
}
export type ImportedOrder = ReturnType<typeof importedOrder>;

/**
 * Reads one export line: an order, or null for a line that is not one (a __parentId child,
 * should the query ever gain a connection) or is malformed, which the import skips and logs.
 */
export function parseExportLine(line: string): { ok: true; order: BulkOrder } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { ok: false, reason: "not JSON" };
  }
  if (typeof json === "object" && json !== null && "__parentId" in json) return { ok: false, reason: "child line" };
  const parsed = BulkOrderSchema.safeParse(json);
  return parsed.success ? { ok: true, order: parsed.data } : { ok: false, reason: parsed.error.issues[0]?.message ?? "invalid order" };
}
