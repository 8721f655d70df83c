import "@shopify/shopify-api/adapters/web-api";
import { LogSeverity, shopifyApi, WebhookValidationErrorReason } from "@shopify/shopify-api";
import { env } from "../env.server";
import { API_VERSION } from "../shopify.server";

export interface VerifiedWebhook {
  shop: string;
  /** Upper snake case, as authenticate.webhook reports it (CHECKOUTS_UPDATE). */
  topic: string;
  webhookId: string;
}

let api: ReturnType<typeof shopifyApi> | undefined;

/** The Shopify library configured with this app's key and secret, made on first use. */
function shopify() {
  const config = env();
  api ??= shopifyApi({
    apiKey: config.SHOPIFY_API_KEY,
    apiSecretKey: config.SHOPIFY_API_SECRET,
    apiVersion: API_VERSION,
    hostName: new URL(config.SHOPIFY_APP_URL).host,
    isEmbeddedApp: true,
    scopes: config.SCOPES.split(","),
    logger: { level: LogSeverity.Error },
    _logDisabledFutureFlags: false,
  });
  return api;
}

/**
 * Verifies a webhook with the Shopify library's own check (`webhooks.validate`: the
 * X-Shopify-Hmac-Sha256 HMAC of the raw body, then the required headers), as
 * `authenticate.webhook` does, without what that adds: it also loads the shop's offline
 * session on every call (a Prisma read, a large share of the ingest server's CPU in the
 * benchmark's profile, docs/benchmarks.md) and may refresh its token, and ingest uses neither.
 * Throws the Response to answer: 401 for a bad HMAC, 400 for a missing header.
 */
export async function verifyWebhook(request: Request, rawBody: string): Promise<VerifiedWebhook> {
  const check = await shopify().webhooks.validate({ rawBody, rawRequest: withShopifyHeadersOnly(request) });
  if (check.valid) return { shop: check.domain, topic: check.topic, webhookId: check.webhookId };
  if (check.reason === WebhookValidationErrorReason.InvalidHmac) throw new Response(undefined, { status: 401, statusText: "Unauthorized" });
  throw new Response(undefined, { status: 400, statusText: "Bad Request" });
}

/**
 * The request as the library's check reads it: its method, URL and only the headers Shopify
 * signs deliveries with (X-Shopify-* for webhooks, Shopify-* for events: ShopifyHeader and
 * ShopifyEventsHeader in @shopify/shopify-api). The library copies a request's headers with
 * `addHeader`, which re-canonicalises every header copied so far on each one, and does so twice
 * per webhook: its cost grows with the square of the header count, and a delivery that came
 * through a proxy or load balancer carries a dozen headers the check never reads. With 20
 * headers, `validate` took 1.7–2.0 ms a call, and 0.72–0.82 ms with these alone
 * (docs/benchmarks.md, "Webhooks without Remix's pipeline").
 */
function withShopifyHeadersOnly(request: Request): Request {
  const headers = new Headers();
  request.headers.forEach((value, name) => {
    if (name.startsWith("x-shopify-") || name.startsWith("shopify-")) headers.append(name, value);
  });
  return new Request(request.url, { method: request.method, headers });
}
