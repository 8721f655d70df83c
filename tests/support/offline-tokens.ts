import { mintSessionToken } from "~/demo/session-token.server";
import { env, parseEnv } from "~/env.server";
import { startShopifyStandin, type ShopifyStandin } from "./shopify-standin";

/**
 * A stand-in Shopify the app reaches through SHOPIFY_API_ORIGIN. Call it before the test file
 * imports any app module (import those with `await import(...)` afterwards): the environment is
 * read once.
 */
export async function standinShopify(): Promise<ShopifyStandin> {
  const standin = await startShopifyStandin({
    apiKey: process.env.SHOPIFY_API_KEY!,
    apiSecret: process.env.SHOPIFY_API_SECRET!,
    scope: parseEnv(process.env).SCOPES,
  });
  process.env.SHOPIFY_API_ORIGIN = standin.url;
  // tests/support/shopify.ts loads ~/shopify.server: import it (and the app) only after this.
  if (env().SHOPIFY_API_ORIGIN !== standin.url) throw new Error("the environment was read before the stand-in started: import app modules after standinShopify()");
  return standin;
}

/**
 * Installs `shop` the way production does: an admin request with App Bridge's session token,
 * which the library answers with a token exchange at the stand-in (expiring, as the app asks
 * for), then stores the session and runs afterAuth.
 */
export async function installByTokenExchange(shop: string): Promise<void> {
  const { authenticate } = await import("~/shopify.server");
  const { adminRequest } = await import("./admin-request");
  await authenticate.admin(await adminRequest("/app", { shop }));
}

/** The shop's stored offline session row. */
export async function storedSession(shop: string) {
  const { database } = await import("~/db.server");
  return (await database()).prisma.session.findUnique({ where: { id: `offline_${shop}` } });
}

/** A non-expiring offline token from the stand-in, as apps stored them before December 2025, saved as the shop's session. */
export async function installNonExpiring(standin: ShopifyStandin, shop: string): Promise<string> {
  const response = await fetch(`${standin.url}/admin/oauth/access_token`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-shopify-shop-domain": shop },
    body: JSON.stringify({
      client_id: process.env.SHOPIFY_API_KEY,
      client_secret: process.env.SHOPIFY_API_SECRET,
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: await mintSessionToken({ shop, apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! }),
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
      expiring: "0",
    }),
  });
  const { access_token, scope } = (await response.json()) as { access_token: string; scope: string };
  const { database } = await import("~/db.server");
  const { recordInstall } = await import("~/services/shops.server");
  const prisma = (await database()).prisma;
  await prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: access_token, scope } });
  await recordInstall(prisma, shop);
  return access_token;
}

/** The token endpoint requests the stand-in saw for `shop`. */
export function tokenRequestsOf(standin: ShopifyStandin, shop: string) {
  return standin.tokenRequests.filter((r) => r.shop === shop);
}

export const SHOP_NAME_QUERY = `#graphql
  query shopName { shop { name } }`;
