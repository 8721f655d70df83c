import type { DiscountMinter } from "../adapters/shopify-discounts.server";

/**
 * The offline demo's stand-in for Shopify's discountCodeBasicCreate: the demo shop has no
 * real Admin API, so codes are accepted as they are. Used only when NUDGE_DEMO=1.
 */
export const demoDiscountMinter: DiscountMinter = async (request) => ({ ok: true, id: `gid://shopify/DiscountCodeNode/demo-${request.code}` });
