import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";

// Shopify's documented sample payloads (tests/fixtures/shopify, see SOURCES.md there), shared
// by the tests and the demo's store simulator so both send what Shopify sends.
const FIXTURES = new URL("../../tests/fixtures/shopify/", import.meta.url);

/** Shopify's sample payload for a topic, as a fresh object. */
// The samples are loose JSON that callers reshape (null customer, extra or missing fields), which
// the JSON files' inferred types reject: `any` here is deliberate.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function fixture<T extends Record<string, any> = Record<string, any>>(name: string): T {
  return JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURES), "utf8"));
}

/** Shopify's sample checkout, for a shopper who ticked SMS marketing, at the given times. */
export function checkoutPayload(overrides: { token?: string; cartToken?: string; createdAt: Date; updatedAt?: Date; phone?: string; customerId?: string } & Record<string, unknown>) {
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

/** Shopify's sample order, placed at `createdAt`, linked to a checkout by token. */
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
 * X-Shopify-Hmac-Sha256: the base64 HMAC-SHA256 of the raw body with the app's secret
 * (shopify.dev/docs/apps/build/webhooks/subscribe/https#step-2-validate-the-origin-of-your-webhook).
 */
function webhookHmac(body: string, secret: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

export interface WebhookDelivery {
  topic: string;
  shop: string;
  /** The app's API secret: Shopify signs with it. */
  secret: string;
  apiVersion: string;
  /** Shopify keeps a delivery's id across its retries; a new one by default. */
  webhookId?: string;
}

/**
 * The headers Shopify sends with a webhook delivery
 * (shopify.dev/docs/apps/build/webhooks/subscribe/https#step-1-understand-the-webhook-headers).
 * The one builder of them: the demo's store simulator, the bench and every test sign through it.
 */
export function webhookHeaders(options: WebhookDelivery & { body: string }) {
  return {
    "content-type": "application/json",
    "x-shopify-hmac-sha256": webhookHmac(options.body, options.secret),
    "x-shopify-topic": options.topic,
    "x-shopify-shop-domain": options.shop,
    "x-shopify-api-version": options.apiVersion,
    "x-shopify-webhook-id": options.webhookId ?? randomUUID(),
    "x-shopify-triggered-at": new Date().toISOString(),
    "x-shopify-event-id": randomUUID(),
  };
}

/**
 * The query Shopify's app proxy adds when it forwards a storefront request: shop,
 * logged_in_customer_id, path_prefix and timestamp, plus `signature`, the hex HMAC-SHA256 of
 * the sorted "key=value" pairs joined with nothing
 * (shopify.dev/docs/apps/build/online-store/app-proxies/authenticate-app-proxies).
 */
export function appProxyQuery(options: { shop: string; secret: string; customerId?: string; pathPrefix?: string; at?: Date }): Record<string, string> {
  const query: Record<string, string> = {
    shop: options.shop,
    logged_in_customer_id: options.customerId ?? "",
    path_prefix: options.pathPrefix ?? "/apps/nudge",
    timestamp: String(Math.floor((options.at ?? new Date()).getTime() / 1000)),
  };
  const message = Object.keys(query)
    .sort()
    .map((key) => `${key}=${query[key]}`)
    .join("");
  return { ...query, signature: createHmac("sha256", options.secret).update(message).digest("hex") };
}

/** POSTs `payload` to the app at `appUrl` as Shopify delivers `options.topic`, signed. */
export function postSignedWebhook(appUrl: string | URL, payload: unknown, options: WebhookDelivery): Promise<Response> {
  const body = JSON.stringify(payload);
  return fetch(new URL(`/webhooks/${options.topic}`, appUrl), { method: "POST", body, headers: webhookHeaders({ ...options, body }) });
}
