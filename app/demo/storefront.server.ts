import { env } from "../env.server";
import { DEMO_SHOP } from "./session-token.server";

/** Where the demo shop's online store lives in the offline demo: a local stand-in page. */
const DEMO_STOREFRONT_PATH = "/demo/store";

/**
 * The offline demo has no real online store, so discount links for the demo shop point at
 * the app's own /demo/store stand-in instead of https://nudge-demo.myshopify.com. Other shops
 * (there are none in the demo) keep their real storefront.
 */
export function demoStorefront(shop: string): string | undefined {
  return shop === DEMO_SHOP ? new URL(DEMO_STOREFRONT_PATH, env().SHOPIFY_APP_URL).toString() : undefined;
}

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/**
 * Shopify's /discount/<code>?redirect=<path>, played by the stand-in: the code goes into a
 * cookie and the shopper lands on the path, kept inside the stand-in (never off this site).
 */
export function applyDiscountRedirect(code: string, redirect: string | null): { location: string; cookie: string } {
  const path = redirect && /^\/(?!\/)[^\s\\]*$/.test(redirect) ? redirect : "/";
  return {
    location: `${DEMO_STOREFRONT_PATH}${path === "/" ? "" : path}`,
    cookie: `demo_discount=${encodeURIComponent(code)}; Path=${DEMO_STOREFRONT_PATH}; SameSite=Lax; HttpOnly`,
  };
}
