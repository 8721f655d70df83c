import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { db } from "./db.server";
import { DeferredPrismaSessionStorage } from "./db/session-storage.server";
import { recordInstall } from "./services/shops.server";
import { enqueueOrderImport } from "./order-import/queue.server";
import { env } from "./env.server";

// Keep in step with [webhooks] api_version in shopify.app.toml.
export const API_VERSION = ApiVersion.July26;

const shopify = shopifyApp({
  apiKey: env().SHOPIFY_API_KEY,
  apiSecretKey: env().SHOPIFY_API_SECRET,
  apiVersion: API_VERSION,
  scopes: env().SCOPES.split(","),
  appUrl: env().SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage: new DeferredPrismaSessionStorage(),
  distribution: AppDistribution.AppStore,
  hooks: {
    // Runs once the offline token is stored (token exchange on first admin load).
    afterAuth: async ({ session }) => {
      await recordInstall(await db(), session.shop);
      await enqueueOrderImport(session.shop); // the shop's last 12 months of orders, in the worker (ADR 014)
    },
  },
  future: {
    // Token exchange: Shopify-managed install, no OAuth redirects inside the admin iframe.
    unstable_newEmbeddedAuthStrategy: true,
  },
});

export default shopify;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const sessionStorage = shopify.sessionStorage;
