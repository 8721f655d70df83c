import { keepNewest, pickStable } from "./state";
import type { CartFacts, JourneyEvent, JourneyState, ProductViews } from "./types";

/**
 * Storefront behaviour from the web pixel (issue #18): product views and cart adds, kept as
 * facts that merge in any order (set union of view times, max of quantities), bounded like
 * checkouts and orders so a shopper's state row stays small.
 */

const MAX_VIEWED_PRODUCTS = 10;
export const MAX_VIEWS_PER_PRODUCT = 5;
export const MAX_CARTS = 5;
const MAX_CART_LINES = 10;
/** Two views of one product within this span make a browse "streak" worth a text. */
const BROWSE_STREAK_HOURS = 24;
/** At most one browse text per shopper in this span (issue #18). */
export const BROWSE_TEXT_GAP_HOURS = 72;

const HOUR = 3_600_000;

type ProductViewed = Extract<JourneyEvent, { type: "product_viewed" }>;
type CartItemAdded = Extract<JourneyEvent, { type: "cart_item_added" }>;

export function addProductView(state: JourneyState, event: ProductViewed): JourneyState {
  const seen = state.views[event.productId];
  const viewedAt = [...new Set([...(seen?.viewedAt ?? []), event.at])].sort((a, b) => a - b).slice(-MAX_VIEWS_PER_PRODUCT);
  // Title and variant of the newest view; a tie is broken by value, so arrival order doesn't matter.
  const newer = !seen || event.at > lastOf(seen.viewedAt);
  const tie = seen !== undefined && event.at === lastOf(seen.viewedAt);
  const product: ProductViews = {
    title: newer ? event.productTitle : tie ? pickStable(seen.title, event.productTitle)! : seen.title,
    variantId: newer ? event.variantId : tie ? pickStable(seen.variantId, event.variantId) : seen.variantId,
    viewedAt,
  };
  const views = keepNewest({ ...state.views, [event.productId]: product }, MAX_VIEWED_PRODUCTS, (p) => lastOf(p.viewedAt));
  return { ...state, views };
}

/**
 * The cart an add belongs to: the storefront cart's token, or (when the pixel doesn't know it)
 * the UTC day of the add, so a shopper's token-less adds don't merge into one cart forever.
 */
function cartKeyOf(event: Pick<CartItemAdded, "at" | "cartToken">): string {
  return event.cartToken ?? `day-${new Date(event.at).toISOString().slice(0, 10)}`;
}

export function addCartItem(state: JourneyState, event: CartItemAdded): JourneyState {
  const key = cartKeyOf(event);
  const cart = state.carts[key];
  const line = cart?.lines[event.variantId];
  const merged = {
    productId: line ? pickStable(line.productId, event.productId)! : event.productId,
    title: !line || event.at > line.addedAt ? event.productTitle : event.at === line.addedAt ? pickStable(line.title, event.productTitle)! : line.title,
    quantity: Math.max(line?.quantity ?? 0, event.quantity),
    addedAt: Math.max(line?.addedAt ?? event.at, event.at),
  };
  const lines = keepNewest({ ...cart?.lines, [event.variantId]: merged }, MAX_CART_LINES, (l) => l.addedAt);
  const next: CartFacts = {
    lines,
    firstAddedAt: Math.min(cart?.firstAddedAt ?? event.at, event.at),
    lastAddedAt: Math.max(cart?.lastAddedAt ?? event.at, event.at),
  };
  const carts = keepNewest({ ...state.carts, [key]: next }, MAX_CARTS, (c) => c.lastAddedAt);
  return { ...state, carts };
}

export type StorefrontEnd = "ordered" | "checkout_started" | "added_to_cart";

/**
 * What ended a cart abandonment, if anything: an order since the first add (or for this
 * cart), or a checkout started or updated since, which hands over to the checkout flow.
 */
export function cartEndedBy(state: JourneyState, key: string, cart: CartFacts): StorefrontEnd | null {
  const ordered = Object.values(state.orders).some((o) => o.cartToken === key || o.at >= cart.firstAddedAt);
  if (ordered) return "ordered";
  const checkout = Object.values(state.checkouts).some((c) => c.cartToken === key || c.lastActivityAt >= cart.firstAddedAt);
  return checkout ? "checkout_started" : null;
}

/** The newest cart, the one a cart text is about; older carts are stale. */
export function newestCart(state: JourneyState): [string, CartFacts] | null {
  let best: [string, CartFacts] | null = null;
  for (const [key, cart] of Object.entries(state.carts)) {
    if (!best || cart.lastAddedAt > best[1].lastAddedAt || (cart.lastAddedAt === best[1].lastAddedAt && key > best[0])) best = [key, cart];
  }
  return best;
}

export interface BrowseStreak {
  productId: string;
  product: ProductViews;
  /** First view of the streak: anything the shopper did since ends it. */
  startedAt: number;
  /** The abandonment: the last view. */
  lastViewAt: number;
}

/** The newest product viewed twice or more within a day, or null. */
export function newestBrowseStreak(state: JourneyState): BrowseStreak | null {
  let best: BrowseStreak | null = null;
  for (const [productId, product] of Object.entries(state.views)) {
    const last = lastOf(product.viewedAt);
    const streak = product.viewedAt.filter((t) => t >= last - BROWSE_STREAK_HOURS * HOUR);
    if (streak.length < 2) continue;
    if (!best || last > best.lastViewAt || (last === best.lastViewAt && productId > best.productId)) {
      best = { productId, product, startedAt: streak[0]!, lastViewAt: last };
    }
  }
  return best;
}

/** What ended a browse streak: an order, a checkout or anything added to a cart since it began. */
export function browseEndedBy(state: JourneyState, streak: BrowseStreak): StorefrontEnd | null {
  if (Object.values(state.orders).some((o) => o.at >= streak.startedAt)) return "ordered";
  if (Object.values(state.checkouts).some((c) => c.lastActivityAt >= streak.startedAt)) return "checkout_started";
  const added = Object.values(state.carts).some((c) => c.lastAddedAt >= streak.startedAt);
  return added ? "added_to_cart" : null;
}

/** Message keys: the cart text names its cart, the browse text its product and streak. */
export function cartMessageKey(cartKey: string): string {
  return `cart_abandon:${cartKey}`;
}

export function browseMessageKey(streak: BrowseStreak): string {
  return `browse:${streak.productId}:${streak.startedAt}`;
}

export function cartKeyOfMessage(messageKey: string): string | null {
  return messageKey.startsWith("cart_abandon:") ? messageKey.slice("cart_abandon:".length) : null;
}

export function isRecentBrowseText(lastBrowseSentAt: number | null, now: number): boolean {
  return lastBrowseSentAt !== null && now - lastBrowseSentAt < BROWSE_TEXT_GAP_HOURS * HOUR;
}

function lastOf(times: readonly number[]): number {
  return times[times.length - 1]!;
}
