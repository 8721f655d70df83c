import { describe, expect, it } from "vitest";
import { initialState } from "../journey/state";
import { DEFAULT_SENDING_SETTINGS } from "../messaging/settings";
import { composeText, type TextInput } from "./compose-text";

const SHOP = "trail-co.myshopify.com";
const base: TextInput = {
  message: { shop: SHOP, shopper_id: "5c0a3c1e-0000-4000-8000-000000000001", dedupe_key: "checkout:c1:cart_recovery:1", flow: "cart_recovery" },
  ctx: {
    shop_name: "Trail Co",
    first_name: "Ada",
    line_items: [{ title: "Trail Tent", quantity: 1 }],
    total_price: "120.00",
    currency: "USD",
    abandoned_checkout_url: "https://trail-co.myshopify.com/checkouts/c1/recover",
  },
  state: initialState("US"),
  sending: DEFAULT_SENDING_SETTINGS,
  discount: null,
  storefront: undefined,
  campaign: null,
  firstMessageToNumber: false,
};

describe("composeText", () => {
  it("links a cart recovery text without a code to the checkout's own recovery link", () => {
    const { composed, variant } = composeText(base);
    expect(composed.body).toContain("https://trail-co.myshopify.com/checkouts/c1/recover");
    expect(composed.body).toContain("Ada");
    expect(variant).toBeNull();
  });

  it("applies the shopper's code to the link when the text offers a discount", () => {
    const { composed } = composeText({ ...base, discount: { code: "NUDGE-ABC", percent: 10 } });
    expect(composed.body).toContain("NUDGE-ABC");
    expect(composed.body).toContain("10%");
  });

  it("uses the shopper's A/B variant of the flow's template, the same on every call", () => {
    const sending = { ...DEFAULT_SENDING_SETTINGS, variants: { cart_recovery: ["A: {{checkout_link}}", "B: {{checkout_link}}"] } };
    const first = composeText({ ...base, sending });
    expect(first.variant).not.toBeNull();
    expect(first.composed.body).toContain(first.variant === 0 ? "A: " : "B: ");
    expect(composeText({ ...base, sending })).toEqual(first);
  });

  it("sends a campaign's own message, linking to the shop's home page when it has no link", () => {
    const campaign = { id: "c1", status: "sending", message: "Hi {{first_name}}, new tents: {{checkout_link}}", link: null, smart_sending_hours: 0, control_percent: 0 };
    const { composed, variant } = composeText({ ...base, message: { ...base.message, flow: "campaign" }, campaign });
    expect(composed.body).toContain("Hi Ada, new tents: https://trail-co.myshopify.com");
    expect(variant).toBeNull();
  });
});
