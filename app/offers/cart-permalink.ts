/**
 * Shopify cart permalinks: https://<shop>/cart/<variant id>:<quantity>[,<variant id>:<quantity>…]
 * rebuilds the cart with those lines, and `?discount=<CODE>` applies a code to it
 * (https://shopify.dev/docs/apps/build/checkout/create-cart-permalinks). Pure.
 */

export interface PermalinkLine {
  /** A variant id as the pixel reports it: numeric, or a gid://shopify/ProductVariant/<n>. */
  variantId: string;
  quantity: number;
}

/** The numeric id a permalink needs, or null when the id has none. */
function numericVariantId(variantId: string): string | null {
  return /(\d+)$/.exec(variantId)?.[1] ?? null;
}

/**
 * The permalink for `lines` with `code` applied; null when no line has a usable variant id.
 * `storefront` is the shop's online store, https://<shop> unless a stand-in is given.
 */
export function cartPermalink(shopDomain: string, lines: readonly PermalinkLine[], code: string | null, storefront = `https://${shopDomain}`): string | null {
  const items = lines.flatMap((line) => {
    const id = numericVariantId(line.variantId);
    return id && line.quantity > 0 ? [`${id}:${Math.floor(line.quantity)}`] : [];
  });
  if (items.length === 0) return null;
  const url = new URL(`${storefront.replace(/\/$/, "")}/cart/${items.join(",")}`);
  if (code) url.searchParams.set("discount", code);
  return url.toString();
}
