import { browseMessageKey, cartKeyOfMessage, newestBrowseStreak } from "../journey/storefront";
import type { Flow, JourneyState } from "../journey/types";
import type { CartLine } from "../messaging/compose";
import { discountLink } from "../offers/discount-code";
import { cartPermalink } from "../offers/cart-permalink";

export interface StorefrontTextParts {
  /** A cart permalink that rebuilds the cart with the code applied (tracked once shortened). */
  link: string;
  productTitle: string;
  cart: { lines: CartLine[]; total: null; currency: null } | null;
}

/**
 * What a browse or cart text says and where it links, from the journey state the pixel built
 * (issue #18); null for every other flow. The cart text rebuilds the whole cart, newest line
 * first; the browse text puts the product viewed in the cart (or, with no variant known,
 * lands on the shop with the code applied).
 */
export function storefrontTextParts(flow: Flow, messageKey: string, state: JourneyState, shopDomain: string, code: string | null, storefront?: string): StorefrontTextParts | null {
  if (flow === "cart_abandonment") {
    const cartKey = cartKeyOfMessage(messageKey);
    const cart = cartKey !== null ? state.carts[cartKey] : undefined;
    if (!cart) return null;
    const lines = Object.entries(cart.lines).sort(([a, x], [b, y]) => y.addedAt - x.addedAt || (a < b ? -1 : 1));
    const link = cartPermalink(
      shopDomain,
      lines.map(([variantId, line]) => ({ variantId, quantity: line.quantity })),
      code,
      storefront,
    );
    return {
      link: link ?? shopLink(shopDomain, code, storefront),
      productTitle: lines[0]![1].title,
      cart: { lines: lines.map(([, line]) => ({ title: line.title, quantity: line.quantity })), total: null, currency: null },
    };
  }
  if (flow === "browse_abandonment") {
    const streak = newestBrowseStreak(state);
    if (!streak || browseMessageKey(streak) !== messageKey) return null;
    const variant = streak.product.variantId;
    const link = variant ? cartPermalink(shopDomain, [{ variantId: variant, quantity: 1 }], code, storefront) : null;
    return { link: link ?? shopLink(shopDomain, code, storefront), productTitle: streak.product.title, cart: null };
  }
  return null;
}

/** The shop's home page, with the code applied when there is one. */
function shopLink(shopDomain: string, code: string | null, storefront?: string): string {
  return code ? discountLink(shopDomain, code, null, storefront) : (storefront ?? `https://${shopDomain}`);
}
