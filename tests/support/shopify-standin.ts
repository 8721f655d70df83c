import { startShopifyStandin as startStandin, type ShopifyStandin, type StandinOptions } from "../../app/demo/shopify/standin.server";
import { validateAdminCall } from "./admin-schema";

export type { ShopifyStandin, StandinAdminCall, StandinTokenRequest } from "../../app/demo/shopify/standin.server";

/** The stand-in Shopify (app/demo/shopify/standin.server.ts) refusing, like Shopify, calls invalid against the Admin schema. */
export function startShopifyStandin(options: Omit<StandinOptions, "validate">): Promise<ShopifyStandin> {
  return startStandin({ ...options, validate: validateAdminCall });
}
