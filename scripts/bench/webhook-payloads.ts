import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";

export const BENCH_INGEST_SHOP = "bench-ingest.myshopify.com";
const LINE_ITEMS = 10;

/**
 * Signed `checkouts/update` webhooks built from Shopify's sample payload
 * (tests/fixtures/shopify/checkouts_create.json), grown to 10 line items (about 17 KB, a
 * realistic cart). Request n is a distinct checkout of a distinct shopper with its own
 * webhook id; each body is signed as Shopify does: base64 HMAC-SHA256 of the raw body with
 * the app secret (https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-5-verify-the-webhook).
 */
export function checkoutWebhooks(options: { secret: string; apiVersion: string; runId: string }) {
  const payload = JSON.parse(readFileSync("tests/fixtures/shopify/checkouts_create.json", "utf8"));
  const sample = payload.line_items as Record<string, unknown>[];
  payload.line_items = Array.from({ length: LINE_ITEMS }, (_, i) => ({ ...sample[i % sample.length], title: `${sample[i % sample.length]!.title} ${i + 1}`, line_price: "19.99" }));
  delete payload.customer.sms_marketing_consent; // consent comes from buyer_accepts_sms_marketing, as in tests/support/shopify.ts
  payload.token = "@TOKEN@";
  payload.cart_token = "cart-@TOKEN@";
  payload.phone = payload.sms_marketing_phone = "@PHONE@";
  payload.abandoned_checkout_url = `https://${BENCH_INGEST_SHOP}/checkouts/@TOKEN@/recover?key=bench`;
  payload.customer.id = 7_000_000_000;
  payload.customer.admin_graphql_api_id = "gid://shopify/Customer/@CUSTOMER@";
  payload.created_at = payload.updated_at = "@NOW@";
  const parts = JSON.stringify(payload).split(/(@TOKEN@|@PHONE@|@CUSTOMER@|@NOW@)/);

  return (n: number) => {
    const values: Record<string, string> = {
      "@TOKEN@": `${options.runId}-${n}`,
      "@PHONE@": `+1613${4000000 + (n % 5_000_000)}`,
      "@CUSTOMER@": String(7_000_000_000 + n),
      "@NOW@": new Date().toISOString(),
    };
    const body = parts.map((part) => values[part] ?? part).join("");
    return {
      body,
      headers: {
        "content-type": "application/json",
        "x-shopify-hmac-sha256": createHmac("sha256", options.secret).update(body, "utf8").digest("base64"),
        "x-shopify-topic": "checkouts/update",
        "x-shopify-shop-domain": BENCH_INGEST_SHOP,
        "x-shopify-api-version": options.apiVersion,
        "x-shopify-webhook-id": `${options.runId}-${n}`,
        "x-shopify-triggered-at": new Date().toISOString(),
      },
    };
  };
}
