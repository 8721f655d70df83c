import { readFileSync } from "node:fs";
import { getHmac } from "@shopify/shopify-api/test-helpers";
import { Session } from "@shopify/shopify-api";
import { createHmac, randomUUID } from "node:crypto";
import { API_VERSION } from "~/shopify.server";

export const TEST_SHOP = "nudge-test.myshopify.com";
const secret = () => process.env.SHOPIFY_API_SECRET!;

/** Shopify's sample payload for a topic (tests/fixtures/shopify), as a fresh object. */
export function fixture<T extends Record<string, any> = Record<string, any>>(name: string): T {
  return JSON.parse(readFileSync(`tests/fixtures/shopify/${name}.json`, "utf8"));
}

export interface WebhookOptions {
  shop?: string;
  webhookId?: string;
  /** Sign with this secret instead of the app's. */
  secret?: string;
  /** Replace the body after signing. */
  tamperedBody?: string;
  omitHeaders?: string[];
  rawBody?: string;
  method?: string;
}

/** A webhook request as Shopify sends it: raw JSON body signed with the app secret. */
export function webhookRequest(topic: string, payload: unknown, options: WebhookOptions = {}): Request {
  const body = options.rawBody ?? JSON.stringify(payload);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-shopify-hmac-sha256": getHmac(body, options.secret ?? secret()),
    "x-shopify-topic": topic,
    "x-shopify-shop-domain": options.shop ?? TEST_SHOP,
    "x-shopify-api-version": API_VERSION,
    "x-shopify-webhook-id": options.webhookId ?? randomUUID(),
    "x-shopify-triggered-at": new Date().toISOString(),
    "x-shopify-event-id": randomUUID(),
  };
  for (const name of options.omitHeaders ?? []) delete headers[name];
  const method = options.method ?? "POST";
  return new Request(`https://nudge.test/webhooks/${topic.replace(/\//g, "/")}`, {
    method,
    headers,
    body: method === "GET" ? undefined : options.tamperedBody ?? body,
  });
}

/** An installed shop: the offline session Shopify's token exchange would have stored, and our shop row. */
export async function installShop(shop = TEST_SHOP, details: { name?: string } = {}) {
  const { db } = await import("~/db.server");
  const { recordInstall } = await import("~/services/shops.server");
  const { sessionStorage } = await import("~/shopify.server");
  const prisma = await db();
  await sessionStorage.storeSession(
    new Session({ id: `offline_${shop}`, shop, state: "test", isOnline: false, accessToken: "shpat_test", scope: process.env.SCOPES }),
  );
  await recordInstall(prisma, shop, { name: details.name ?? "Nudge Test Shop", timezone: "America/Toronto", currency: "CAD" });
  // No control group unless a test asks for one: shopper ids are random, and a test about
  // something else must not depend on which shoppers land in the holdout.
  await prisma.shop.update({ where: { domain: shop }, data: { settings: { journey: { holdoutPercent: { cart_recovery: 0 } } } } });
  return prisma;
}

/** Shopify's sample checkout, for a shopper who ticked SMS marketing, at the given times. */
export function checkoutPayload(
  overrides: { token?: string; cartToken?: string; createdAt: Date; updatedAt?: Date; phone?: string; customerId?: string } & Record<string, unknown>,
) {
  const { token, cartToken, createdAt, updatedAt, phone, customerId, ...rest } = overrides;
  const payload = fixture("checkouts_create");
  payload.token = token ?? payload.token;
  payload.cart_token = cartToken ?? `cart-${payload.token}`;
  payload.created_at = createdAt.toISOString();
  payload.updated_at = (updatedAt ?? createdAt).toISOString();
  if (phone) payload.phone = payload.sms_marketing_phone = phone;
  delete payload.customer.sms_marketing_consent;
  if (customerId) Object.assign(payload.customer, { id: Number(customerId), admin_graphql_api_id: `gid://shopify/Customer/${customerId}` });
  return { ...payload, ...rest };
}

export function orderPayload(overrides: { id?: string; checkoutToken?: string | null; cartToken?: string | null; createdAt: Date } & Record<string, unknown>) {
  const { id, checkoutToken, cartToken, createdAt, ...rest } = overrides;
  const payload = fixture("orders_create");
  if (id) payload.admin_graphql_api_id = `gid://shopify/Order/${id}`;
  if (checkoutToken !== undefined) payload.checkout_token = checkoutToken;
  payload.cart_token = cartToken ?? null;
  payload.created_at = payload.processed_at = createdAt.toISOString();
  return { ...payload, ...rest };
}

/**
 * A storefront request as Shopify's app proxy forwards it: the query carries shop,
 * logged_in_customer_id, path_prefix and timestamp, signed with the app secret (hex
 * HMAC-SHA256 of the sorted "key=value" pairs, joined with nothing).
 */
export function appProxyRequest(
  path: string,
  body: unknown,
  options: { shop?: string; secret?: string; customerId?: string; ip?: string; userAgent?: string; tamper?: Record<string, string> } = {},
): Request {
  const query: Record<string, string> = {
    shop: options.shop ?? TEST_SHOP,
    logged_in_customer_id: options.customerId ?? "",
    path_prefix: "/apps/nudge",
    timestamp: String(Math.floor(Date.now() / 1000)),
  };
  const message = Object.keys(query)
    .sort()
    .map((key) => `${key}=${query[key]}`)
    .join("");
  const signature = createHmac("sha256", options.secret ?? secret()).update(message).digest("hex");
  const url = new URL(`https://nudge.test${path}`);
  for (const [key, value] of Object.entries({ ...query, signature, ...options.tamper })) url.searchParams.set(key, value);
  return new Request(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-forwarded-for": options.ip ?? "203.0.113.9",
      "user-agent": options.userAgent ?? "Mozilla/5.0 (iPhone) Safari",
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}
