import { env } from "../env.server";
import { DEMO_SHOP } from "./session-token.server";

/** Demo-only routes answer 404 unless the app was started by `npm run demo`. */
export function requireDemo(): void {
  if (!env().NUDGE_DEMO) throw new Response("Not found", { status: 404 });
}

/**
 * The demo's shop when the app runs as `npm run demo`: it has no real Shopify behind it, so
 * calls to its Admin API are skipped (discounts go through the demo minter instead).
 */
export function isOfflineDemoShop(shop: string): boolean {
  return env().NUDGE_DEMO && shop === DEMO_SHOP;
}
