import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { database } from "./db.server";
import { DeferredPrismaSessionStorage } from "./db/session-storage.server";
import { recordInstall } from "./services/shops.server";
import { syncShopDetails } from "./services/shop-details.server";
import { clock } from "./clock.server";
import { enqueueOrderImport } from "./order-import/queue.server";
import { env } from "./env.server";
import { routeShopifyApiTo } from "./adapters/shopify-api-origin.server";
import { clearReauthNeeded } from "./adapters/offline-token.server";
import { activateWebPixelOnInstall } from "./pixel/activate.server";
import { billingConfig } from "./billing/from-env.server";
import { billingPlans } from "./billing/plan";

const apiOrigin = env().SHOPIFY_API_ORIGIN;
if (apiOrigin) routeShopifyApiTo(apiOrigin);

// Keep in step with [webhooks] api_version in shopify.app.toml, and with the Admin schema the
// #graphql documents are checked against (app/graphql/schema; docs/decisions/015-typed-admin-graphql.md).
export const API_VERSION = ApiVersion.April26;

// The plans a shop approves (docs/decisions/023-billing.md); none when NUDGE_BILLING=off.
const billing = billingConfig();

const shopify = shopifyApp({
  apiKey: env().SHOPIFY_API_KEY,
  apiSecretKey: env().SHOPIFY_API_SECRET,
  apiVersion: API_VERSION,
  scopes: env().SCOPES.split(","),
  appUrl: env().SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage: new DeferredPrismaSessionStorage(),
  distribution: AppDistribution.AppStore,
  ...(billing ? { billing: billingPlans(billing) } : {}),
  hooks: {
    // Runs once the offline token is stored (token exchange on first admin load).
    afterAuth: async ({ session }) => {
      await recordInstall((await database()).prisma, session.shop);
      // A fresh token exchange: whatever refresh Shopify refused before is behind us.
      await clearReauthNeeded(session.shop);
      // Name, currency, time zone and contact for texts, HELP replies and the dashboard.
      await syncShopDetails((await database()).prisma, session.shop, clock.now());
      await enqueueOrderImport(session.shop); // the shop's last 12 months of orders, in the worker (ADR 014)
      // The storefront pixel (extensions/nudge-pixel) for the browse and cart flows (ADR 019).
      await activateWebPixelOnInstall((await database()).prisma, session.shop);
    },
  },
  future: {
    // Token exchange: Shopify-managed install, no OAuth redirects inside the admin iframe.
    unstable_newEmbeddedAuthStrategy: true,
    // Offline tokens that expire after 1 hour with a 90-day rotating refresh token, required
    // for public apps from 2027-01-01. Background calls renew them through backgroundAdmin
    // (docs/decisions/013-expiring-offline-tokens.md).
    expiringOfflineAccessTokens: true,
  },
});

export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const sessionStorage = shopify.sessionStorage;
