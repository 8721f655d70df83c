import { Session } from "@shopify/shopify-api";
import { appProxyQuery, webhookHeaders } from "~/demo/shopify-payloads";
import { API_VERSION } from "~/shopify.server";

// The payload builders live with the demo's store simulator, which sends the same payloads.
export { checkoutPayload, fixture, orderPayload } from "~/demo/shopify-payloads";

export const TEST_SHOP = "nudge-test.myshopify.com";
const secret = () => process.env.SHOPIFY_API_SECRET!;

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
  const headers: Record<string, string> = webhookHeaders({ topic, shop: options.shop ?? TEST_SHOP, body, secret: options.secret ?? secret(), apiVersion: API_VERSION, webhookId: options.webhookId });
  for (const name of options.omitHeaders ?? []) delete headers[name];
  const method = options.method ?? "POST";
  return new Request(`https://nudge.test/webhooks/${topic.replace(/\//g, "/")}`, {
    method,
    headers,
    body: method === "GET" ? undefined : (options.tamperedBody ?? body),
  });
}

/** An installed shop: the offline session Shopify's token exchange would have stored, and our shop row. */
export async function installShop(shop = TEST_SHOP, details: { name?: string } = {}) {
  const { database } = await import("~/db.server");
  const { recordInstall } = await import("~/services/shops.server");
  const { clock } = await import("~/clock.server");
  const { sessionStorage } = await import("~/shopify.server");
  const prisma = (await database()).prisma;
  await sessionStorage.storeSession(
    // Expiring, as token exchange stores it with expiringOfflineAccessTokens (1 h, 90-day refresh token).
    new Session({
      id: `offline_${shop}`,
      shop,
      state: "test",
      isOnline: false,
      accessToken: "shpat_test",
      scope: process.env.SCOPES,
      expires: new Date(Date.now() + 3_600_000),
      refreshToken: "shprt_test",
      refreshTokenExpires: new Date(Date.now() + 90 * 86_400_000),
    }),
  );
  await recordInstall(prisma, shop, { name: details.name ?? "Nudge Test Shop", timezone: "America/Toronto", currency: "CAD" });
  // No control group unless a test asks for one: shopper ids are random, and a test about
  // something else must not depend on which shoppers land in the holdout.
  // detailsAt: as if Shopify's shop query had run, so admin loads don't ask Shopify for it.
  await prisma.shop.update({ where: { domain: shop }, data: { settings: { journey: { holdoutPercent: { cart_recovery: 0 } } }, detailsAt: clock.now() } });
  return prisma;
}

/**
 * TEST_SHOP installed with the app's clock fixed at `start` (set first: the install stamps the
 * shop's details with it). Tests move the returned clock.
 */
export async function installShopAt(start: Date, details: { name?: string } = {}) {
  const { fixedClock, setClock } = await import("~/clock.server");
  const clock = fixedClock(start);
  setClock(clock);
  return { clock, prisma: await installShop(TEST_SHOP, details) };
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
  const query = appProxyQuery({ shop: options.shop ?? TEST_SHOP, secret: options.secret ?? secret(), customerId: options.customerId });
  const url = new URL(`https://nudge.test${path}`);
  for (const [key, value] of Object.entries({ ...query, ...options.tamper })) url.searchParams.set(key, value);
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
