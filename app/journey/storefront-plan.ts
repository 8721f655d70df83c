import { abandonmentDeadline } from "./carrier-rule";
import { browseEndedBy, browseMessageKey, cartEndedBy, cartMessageKey, newestBrowseStreak, newestCart } from "./storefront";
import type { JourneySettings, JourneyState, PlannedMessage, StorefrontFlowSettings } from "./types";

const MINUTE = 60_000;

/**
 * The browse and cart abandonment texts (issue #18): at most one of each, for the newest
 * abandonment only, and none once the shopper has moved on (a cart add ends a browse, a
 * checkout hands a cart over to the checkout flow, an order ends both). The US/CA carrier
 * rule applies as for checkouts: consent before the abandonment, one text within 48 hours.
 */
export function planStorefrontTexts(state: JourneyState, now: number, consentSince: number, settings: JourneySettings): PlannedMessage[] {
  const planned: PlannedMessage[] = [];
  const cart = newestCart(state);
  if (settings.cartAbandonment.enabled && cart) {
    const [key, facts] = cart;
    if (cartEndedBy(state, key, facts) === null) {
      const message = storefrontText(state, now, consentSince, settings.cartAbandonment, facts.lastAddedAt, {
        key: cartMessageKey(key),
        flow: "cart_abandonment",
      });
      if (message) planned.push(message);
    }
  }
  const streak = newestBrowseStreak(state);
  if (settings.browseAbandonment.enabled && streak && browseEndedBy(state, streak) === null) {
    const message = storefrontText(state, now, consentSince, settings.browseAbandonment, streak.lastViewAt, {
      key: browseMessageKey(streak),
      flow: "browse_abandonment",
    });
    if (message) planned.push(message);
  }
  return planned;
}

function storefrontText(state: JourneyState, now: number, consentSince: number, flow: StorefrontFlowSettings, abandonedAt: number, id: Pick<PlannedMessage, "key" | "flow">): PlannedMessage | null {
  const deadline = abandonmentDeadline(state.phoneRegion, consentSince, abandonedAt, flow.windowHours);
  const dueAt = abandonedAt + flow.delayMinutes * MINUTE;
  if (deadline === null || dueAt > deadline || now > deadline) return null;
  const message: PlannedMessage = { ...id, step: 1, dueAt };
  if (flow.discountPercent === null) return message;
  return { ...message, discount: { percent: flow.discountPercent, expiresInHours: flow.discountExpiryHours } };
}
