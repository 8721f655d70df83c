import { CATALOG, FIRST_NAMES, LAST_NAMES } from "./catalog";
import type { PlannedShopper, Reaction } from "./plan";

/**
 * The demo's campaign (issue #19): the merchant's "Weekend trail sale" to all SMS subscribers,
 * sent through the composer's Send now as the run starts. Its audience is a dozen subscribers
 * of their own (+1 646 555-01xx, numbers the scenario never uses), so the scenario's flows and
 * their expected outcome are untouched; the store simulator has them follow the link and buy.
 */
export const DEMO_CAMPAIGN = {
  name: "Weekend trail sale",
  message: "{{shop_name}}: the weekend trail sale is on, {{first_name}}! Tents and packs are in: {{checkout_link}}",
  audience: { kind: "subscribers" },
  smartSendingHours: 16,
  controlPercent: 10,
} as const;
/** How a phone tells the campaign's text from the flows' (the message above, filled in). */
export const DEMO_CAMPAIGN_TEXT = /the weekend trail sale is on/;
const DEMO_CAMPAIGN_AUDIENCE = 12;

/**
 * The campaign's subscribers, by index: every other one follows the link and buys its cart a
 * few minutes later, every fourth only looks, the rest leave it. Taken by index rather than
 * drawn so the scenario's seed tells the same story with or without them.
 */
export function planCampaignAudience(count = DEMO_CAMPAIGN_AUDIENCE): PlannedShopper[] {
  return Array.from({ length: count }, (_, index) => {
    const firstName = FIRST_NAMES[(index * 5) % FIRST_NAMES.length]!;
    const lastName = LAST_NAMES[(index * 7) % LAST_NAMES.length]!;
    const product = CATALOG[index % CATALOG.length]!;
    const onFirstText: Reaction =
      index % 2 === 0 ? { kind: "click_and_buy", afterMinutes: 15 + index, buyAfterMinutes: 10 } : index % 4 === 1 ? { kind: "click", afterMinutes: 20 + index } : { kind: "ignore" };
    return {
      index: 5000 + index,
      kind: "subscriber",
      firstName,
      lastName,
      email: `${firstName}.${lastName}.c${index}@example.com`.toLowerCase(),
      phone: `+16465550${String(100 + index).padStart(3, "0")}`,
      customerId: String(8_100_000_000 + index),
      arrivesAt: 0,
      cart: { token: `democampaign${index.toString(36).padStart(4, "0")}`, lines: [{ ...product, quantity: 1 }], subtotal: product.price },
      buysUnpromptedAfter: null,
      onFirstText,
      onPostPurchaseText: { kind: "ignore" },
      storefront: null,
      npsAnswer: null,
    };
  });
}
