/**
 * The brand a text names (CTIA Messaging Principles: every message identifies its sender):
 * what the merchant set in Settings, else the shop's name from Shopify, else its myshopify
 * handle as a last resort. The one rule, for texts, previews, the simulator and HELP replies.
 */
export function brandFor(shop: { domain: string; name: string | null | undefined }, sending: { brandName: string }): string {
  return sending.brandName.trim() || shop.name?.trim() || shop.domain.replace(/\.myshopify\.com$/, "");
}

/** Where HELP sends a shopper: the contact the merchant set, else the shop's public contact email. */
export function supportContactFor(shop: { contactEmail: string | null | undefined }, sending: { supportContact: string }): string | null {
  return sending.supportContact.trim() || shop.contactEmail?.trim() || null;
}
