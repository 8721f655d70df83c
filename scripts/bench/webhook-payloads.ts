import { fixture, webhookHeaders } from "../../app/demo/shopify-payloads";

export const BENCH_INGEST_SHOP = "bench-ingest.myshopify.com";
const LINE_ITEMS = 10;

/**
 * Signed `checkouts/update` webhooks built from Shopify's sample payload
 * (tests/fixtures/shopify/checkouts_create.json), grown to 10 line items (about 17 KB, a
 * realistic cart). Request n is a distinct checkout of a distinct shopper with its own
 * webhook id; each is signed as Shopify signs it (webhookHeaders).
 */
export function checkoutWebhooks(options: { secret: string; apiVersion: string; runId: string }) {
  const payload = fixture("checkouts_create");
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
      headers: webhookHeaders({ topic: "checkouts/update", shop: BENCH_INGEST_SHOP, body, secret: options.secret, apiVersion: options.apiVersion, webhookId: `${options.runId}-${n}` }),
    };
  };
}
