import { z } from "zod";
import { knownTimeZone } from "../lib/zoned-time";

// Shapes from Shopify's webhook reference: the app subscribes with API 2026-04 (shopify.app.toml), and the
// samples in tests/fixtures/shopify come from the 2026-07 reference, whose checkout and order bodies are the same.
// Tolerant of fields we don't use (zod strips them), strict on the ones we do.

const Timestamp = z.iso.datetime({ offset: true }).transform((value) => new Date(value));
const Money = z.string().regex(/^-?\d{1,12}(\.\d{1,4})?$/, "must be a decimal amount");
const Currency = z.string().regex(/^[A-Z]{3}$/);
const Text = (max: number) => z.string().max(max);

const IdFields = {
  id: z.union([z.number(), z.string()]).nullish(),
  admin_graphql_api_id: z.string().max(255).nullish(),
};

/**
 * Shopify ids are 64-bit and lose precision in JSON.parse, so we take them from the
 * `admin_graphql_api_id` gid when it is there, and from a safe-integer `id` otherwise.
 */
export function exactShopifyId(resource: string, value: { id?: number | string | null; admin_graphql_api_id?: string | null }): string | null {
  const fromGid = value.admin_graphql_api_id?.match(/^gid:\/\/shopify\/(\w+)\/(\d+)$/);
  if (fromGid && fromGid[1] === resource) return fromGid[2]!;
  if (typeof value.id === "string" && /^\d{1,20}$/.test(value.id)) return value.id;
  if (typeof value.id === "number" && Number.isSafeInteger(value.id) && value.id > 0) return String(value.id);
  return null;
}

const SmsMarketingConsent = z.object({
  state: z.string(),
  consent_updated_at: Timestamp.nullish(),
});

const Customer = z
  .object({
    first_name: Text(255).nullish(),
    email: Text(320).nullish(),
    phone: Text(64).nullish(),
    sms_marketing_consent: SmsMarketingConsent.nullish(),
    ...IdFields,
  })
  .transform(({ admin_graphql_api_id, ...customer }) => ({
    ...customer,
    id: exactShopifyId("Customer", { id: customer.id, admin_graphql_api_id }),
  }));

const Address = z.object({ country_code: z.string().nullish(), phone: Text(64).nullish() }).nullish();

const LineItem = z.object({
  title: Text(500),
  quantity: z.number().int().min(0),
  price: Money,
  variant_title: Text(500).nullish(),
  product_id: z.number().nullish(),
  variant_id: z.number().nullish(),
  sku: Text(255).nullish(),
});

// Since API 2026-04 checkout bodies carry no `id` and order bodies no `checkout_id`: a checkout
// is keyed by `token`, an order finds it by `checkout_token`, then `cart_token`
// (https://shopify.dev/changelog/removed-checkout-id-from-checkouts-and-orders-webhooks).
export const CheckoutPayloadSchema = z.object({
  token: z.string().min(1).max(255),
  cart_token: z.string().max(255).nullish(),
  email: Text(320).nullish(),
  phone: Text(64).nullish(),
  sms_marketing_phone: Text(64).nullish(),
  buyer_accepts_sms_marketing: z.boolean().nullish(),
  abandoned_checkout_url: Text(2048).nullish(),
  created_at: Timestamp,
  updated_at: Timestamp,
  completed_at: Timestamp.nullish(),
  currency: Currency.nullish(),
  presentment_currency: Currency.nullish(),
  total_price: Money.nullish(),
  line_items: z.array(LineItem).max(500).default([]),
  customer: Customer.nullish(),
  billing_address: Address,
  shipping_address: Address,
});
export type CheckoutPayload = z.infer<typeof CheckoutPayloadSchema>;

const MoneySet = z.object({
  shop_money: z.object({ amount: Money, currency_code: Currency }),
  presentment_money: z.object({ amount: Money, currency_code: Currency }),
});

export const OrderPayloadSchema = z
  .object({
    name: Text(255).nullish(),
    checkout_token: z.string().max(255).nullish(),
    cart_token: z.string().max(255).nullish(),
    email: Text(320).nullish(),
    phone: Text(64).nullish(),
    created_at: Timestamp,
    processed_at: Timestamp.nullish(),
    currency: Currency,
    presentment_currency: Currency.nullish(),
    total_price: Money,
    total_price_set: MoneySet.nullish(),
    discount_codes: z
      .array(z.object({ code: z.string().max(255) }))
      .max(50)
      .default([]),
    customer: Customer.nullish(),
    billing_address: Address,
    shipping_address: Address,
    ...IdFields,
  })
  .transform(({ admin_graphql_api_id, ...order }, ctx) => {
    const id = exactShopifyId("Order", { id: order.id, admin_graphql_api_id });
    if (id === null) {
      ctx.addIssue({ code: "custom", path: ["admin_graphql_api_id"], message: "order id is missing or not exact" });
      return z.NEVER;
    }
    return { ...order, id };
  });
export type OrderPayload = z.infer<typeof OrderPayloadSchema>;

export const CustomersRedactPayloadSchema = z.object({
  shop_domain: z.string().nullish(),
  customer: z.object({
    id: z.union([z.number(), z.string()]).nullish(),
    email: Text(320).nullish(),
    phone: Text(64).nullish(),
  }),
  orders_to_redact: z.array(z.union([z.number(), z.string()])).default([]),
});

export const CustomersDataRequestPayloadSchema = CustomersRedactPayloadSchema.extend({
  data_request: z.object({ id: z.union([z.number(), z.string()]) }).nullish(),
  orders_requested: z.array(z.union([z.number(), z.string()])).default([]),
});

export const ShopRedactPayloadSchema = z.object({ shop_domain: z.string().nullish() });

/** app/uninstalled sends the shop resource; we act on the verified shop header, not the body. */
export const AppUninstalledPayloadSchema = z.object({ myshopify_domain: z.string().nullish() });

/**
 * shop/update sends the Shop resource (the same body as app/uninstalled; sample in
 * tests/fixtures/shopify/app_uninstalled.json). customer_email is the public contact address
 * (GraphQL's Shop.contactEmail); `email` is the owner's address for Shopify's own mail, not
 * read. A time zone this runtime doesn't know is dropped rather than stored.
 */
export const ShopUpdatePayloadSchema = z.object({
  name: Text(255).nullish(),
  customer_email: Text(320).nullish(),
  currency: Currency.nullish(),
  iana_timezone: Text(64)
    .nullish()
    .transform((zone) => (zone && knownTimeZone(zone) === zone ? zone : null)),
  country_code: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .nullish(),
  updated_at: Timestamp.nullish(),
  myshopify_domain: z.string().nullish(),
});
export type ShopUpdatePayload = z.infer<typeof ShopUpdatePayloadSchema>;
