/**
 * Shopify signs only the body of a webhook, not the X-Shopify-Shop-Domain header, so a body
 * captured from one shop could be replayed with another shop's header and still pass HMAC.
 * Where a payload names its shop (the compliance topics' shop_domain, the shop resource's
 * myshopify_domain), it must be the shop in the header. Pure.
 */
export function payloadShopMismatch(headerShop: string, payload: unknown): string | null {
  if (!payload || typeof payload !== "object") return null;
  const record = payload as Record<string, unknown>;
  for (const field of ["shop_domain", "myshopify_domain"]) {
    const named = record[field];
    if (typeof named === "string" && named.trim() !== "" && named.trim().toLowerCase() !== headerShop.toLowerCase()) return field;
  }
  return null;
}
