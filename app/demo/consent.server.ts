import type { ConsentPusher } from "../adapters/shopify-consent.server";

/**
 * The offline demo's stand-in for Shopify's customerSmsMarketingConsentUpdate: the demo shop
 * has no real Admin API, so consent changes are taken as given. Used only when NUDGE_DEMO=1.
 */
export const demoConsentPusher: ConsentPusher = async () => ({ ok: true });
