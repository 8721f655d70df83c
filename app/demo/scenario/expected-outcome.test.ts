import { describe, expect, it } from "vitest";
import { compareOutcomes, expectedOutcome } from "./expected-outcome";
import type { PlannedShopper, Reaction, Scenario } from "./plan";

let next = 0;
function shopper(kind: PlannedShopper["kind"], overrides: Partial<PlannedShopper> = {}): PlannedShopper {
  const index = next++;
  return {
    index,
    kind,
    firstName: "Ava",
    lastName: "Kim",
    email: `ava${index}@example.com`,
    phone: `+1212555${String(100 + index).padStart(4, "0")}`,
    customerId: String(index),
    arrivesAt: 120,
    cart: { token: `t${index}`, lines: [], subtotal: 100 },
    buysUnpromptedAfter: null,
    onFirstText: { kind: "ignore" },
    onPostPurchaseText: { kind: "ignore" },
    storefront: null,
    npsAnswer: null,
    ...overrides,
  };
}
const buy: Reaction = { kind: "click_and_buy", afterMinutes: 30, buyAfterMinutes: 10 };
const scenario = (shoppers: PlannedShopper[], followUps = false): Scenario => ({
  options: { seed: 1, shoppers: shoppers.length, days: 1, followUps },
  shoppers,
  endsAt: (followUps ? 2 * 1440 : 0) + 13 * 60,
});

describe("expectedOutcome", () => {
  it("counts a browse text and a cart text for subscribers the pixel saw browsing after the welcome", () => {
    const browse = shopper("subscriber", { storefront: { kind: "browse", viewsAt: [4.5, 8.5], addToCartAt: null } });
    const cart = shopper("subscriber", { storefront: { kind: "cart", viewsAt: [4.5], addToCartAt: 10.5 } });
    const outcome = expectedOutcome(scenario([browse, cart]), () => false);
    expect(outcome.texts.byFlow).toEqual({ welcome: 2, browse_abandonment: 1, cart_abandonment: 1, cart_recovery: 0, post_purchase: 0 });
    expect(outcome.skipped).toEqual({});
  });

  it("texts an abandoner once, and credits the order they place through the text's link to cart recovery", () => {
    const outcome = expectedOutcome(scenario([shopper("abandoner", { onFirstText: buy })]), () => false);
    expect(outcome.texts).toEqual({ sent: 1, delivered: 1, clicked: 1, byFlow: { browse_abandonment: 0, cart_abandonment: 0, welcome: 0, cart_recovery: 1, post_purchase: 0 } });
    expect(outcome.orders).toEqual({ total: 1, attributed: 1, byFlow: { browse_abandonment: 0, cart_abandonment: 0, welcome: 0, cart_recovery: 1, post_purchase: 0 } });
    expect(outcome.revenue).toEqual({ recovered: 90, attributed: 90 });
    expect(outcome.lift.treated).toEqual({ shoppers: 1, converted: 1 });
  });

  it("holds a control-group abandoner back: no text, skipped as holdout, and they only buy if they would anyway", () => {
    const a = shopper("abandoner", { onFirstText: buy });
    const b = shopper("abandoner", { buysUnpromptedAfter: 160 });
    const outcome = expectedOutcome(scenario([a, b]), () => true);
    expect(outcome.texts.sent).toBe(0);
    expect(outcome.skipped).toEqual({ holdout: 2 });
    expect(outcome.lift.control).toEqual({ shoppers: 2, converted: 1 });
    expect(outcome.orders).toMatchObject({ total: 1, attributed: 0 });
  });

  it("plans no cart text for a shopper who pays at once and never texts one who didn't consent", () => {
    const outcome = expectedOutcome(scenario([shopper("quick_buyer", { buysUnpromptedAfter: 1 }), shopper("no_consent", { buysUnpromptedAfter: 30 })]), () => false);
    expect(outcome.texts.sent).toBe(0);
    expect(outcome.cancelled).toEqual({});
    expect(outcome.orders.total).toBe(2);
  });

  it("welcomes a subscriber; one who shops with the code is credited to the welcome text without a click", () => {
    const outcome = expectedOutcome(scenario([shopper("subscriber", { onFirstText: { kind: "buy_with_code", afterMinutes: 40 } })]), () => false);
    expect(outcome.texts.byFlow.welcome).toBe(1);
    expect(outcome.texts.clicked).toBe(0);
    expect(outcome.orders.byFlow.welcome).toBe(1);
    expect(outcome.revenue).toEqual({ recovered: 0, attributed: 85 });
  });

  it("counts a STOP as an opt-out and nothing after it", () => {
    const outcome = expectedOutcome(scenario([shopper("abandoner", { onFirstText: { kind: "stop", afterMinutes: 10 } })], true), () => false);
    expect(outcome.optOuts).toBe(1);
    expect(outcome.texts.sent).toBe(1);
  });

  it("follows a purchase with the post-purchase text a day later when the run lasts, and a repeat order through it", () => {
    const repeat = shopper("quick_buyer", { buysUnpromptedAfter: 1, onPostPurchaseText: buy });
    const outcome = expectedOutcome(scenario([repeat], true), () => false);
    expect(outcome.texts.byFlow.post_purchase).toBe(2);
    expect(outcome.orders).toMatchObject({ total: 2, attributed: 1, byFlow: { post_purchase: 1 } });
    expect(outcome.revenue.attributed).toBe(80);
    expect(outcome.cancelled).toEqual({ ordered: 2 }); // the first order's win-back text and NPS question
    expect(expectedOutcome(scenario([repeat], false), () => false).texts.byFlow.post_purchase).toBe(0);
  });

  it("asks the NPS question a week after the latest order when the run lasts that long, not after a STOP", () => {
    const week = (shoppers: PlannedShopper[]): Scenario => ({ options: { seed: 1, shoppers: shoppers.length, days: 7, followUps: true }, shoppers, endsAt: 8 * 1440 + 13 * 60 });
    const buyer = shopper("quick_buyer", { buysUnpromptedAfter: 1 });
    expect(expectedOutcome(week([buyer]), () => false).texts).toMatchObject({ sent: 2, byFlow: { post_purchase: 1 } });
    expect(expectedOutcome(scenario([buyer], true), () => false).texts.sent).toBe(1);
    const stopper = shopper("quick_buyer", { buysUnpromptedAfter: 1, onPostPurchaseText: { kind: "stop", afterMinutes: 10 } });
    const stopped = expectedOutcome(week([stopper]), () => false);
    expect(stopped.texts.sent).toBe(1);
    expect(stopped.cancelled).toEqual({ opted_out: 2 }); // the NPS question and the win-back text
  });
});

describe("compareOutcomes", () => {
  it("lists each difference and nothing when the outcomes agree", () => {
    const expected = expectedOutcome(scenario([shopper("abandoner", { onFirstText: buy })]), () => false);
    expect(compareOutcomes(expected, structuredClone(expected))).toEqual([]);
    const measured = structuredClone(expected);
    measured.texts.sent = 2;
    measured.skipped = { frequency_cap: 1 };
    expect(compareOutcomes(expected, measured)).toEqual(["texts.sent: expected 1, measured 2", "skipped.frequency_cap: expected 0, measured 1"]);
  });

  it("counts a text skipped at send time because the shopper paid the same as one cancelled by the order", () => {
    const expected = expectedOutcome(scenario([shopper("quick_buyer", { buysUnpromptedAfter: 1, onPostPurchaseText: buy })], true), () => false);
    expect(expected.cancelled).toEqual({ ordered: 2 });
    const measured = structuredClone(expected);
    measured.cancelled = { ordered: 1 };
    measured.skipped = { ordered: 1 };
    expect(compareOutcomes(expected, measured)).toEqual([]);
    measured.skipped = { ordered: 2 };
    expect(compareOutcomes(expected, measured)).toEqual(["cancelled.ordered: expected 2, measured 3"]);
  });
});
