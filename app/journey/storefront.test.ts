import { describe, expect, it } from "vitest";
import { DEFAULT_JOURNEY_SETTINGS } from "./settings";
import { initialState, stageOf } from "./state";
import { MAX_CARTS, MAX_VIEWS_PER_PRODUCT } from "./storefront";
import { transition } from "./transition";
import type { Command, JourneyEvent, JourneySettings, JourneyState } from "./types";

const T0 = Date.parse("2026-11-20T15:00:00Z");
const MIN = 60_000;
const HOUR = 60 * MIN;
const settings: JourneySettings = {
  ...DEFAULT_JOURNEY_SETTINGS,
  browseAbandonment: { ...DEFAULT_JOURNEY_SETTINGS.browseAbandonment, enabled: true },
};

const optIn: JourneyEvent = { type: "opted_in", at: T0 - HOUR, source: "popup" };
const view = (at: number, productId = "p-tent", productTitle = "Trail Tent"): JourneyEvent => ({
  type: "product_viewed",
  at,
  productId,
  variantId: "gid://shopify/ProductVariant/4001",
  productTitle,
});
const add = (at: number, cartToken: string | null = "cart-1", quantity = 1): JourneyEvent => ({
  type: "cart_item_added",
  at,
  productId: "p-tent",
  variantId: "4001",
  productTitle: "Trail Tent",
  quantity,
  cartToken,
});
const checkout = (at: number, cartToken: string | null = "cart-1"): JourneyEvent => ({
  type: "checkout_updated",
  at,
  token: "chk-1",
  cartToken,
  startedAt: at,
  completedAt: null,
});
const order = (at: number): JourneyEvent => ({ type: "order_created", at, orderId: "o-1", checkoutToken: null, cartToken: null });

function run(events: JourneyEvent[], now = T0 + 30 * MIN, region: string | null = "US", s = settings) {
  let state: JourneyState = initialState(region);
  const commands: Command[] = [];
  for (const event of events) {
    const result = transition(state, event, now, s);
    state = result.state;
    commands.push(...result.commands);
  }
  // What is pending at the end, as the outbox would hold it.
  const pending = new Map<string, number>();
  for (const c of commands) {
    if (c.type === "schedule") pending.set(c.message.key, c.message.dueAt);
    if (c.type === "cancel") for (const key of c.keys === "all" ? [...pending.keys()] : c.keys) pending.delete(key);
  }
  return { state, commands, pending: Object.fromEntries(pending), stage: stageOf(state) };
}

const NO_WELCOME = { ...settings, welcome: { ...settings.welcome, enabled: false } };

describe("storefront behaviour in the journey", () => {
  it.each([
    ["a product view", [view(T0)]],
    ["an add to cart", [add(T0)]],
  ])("moves a known shopper into consideration after %s", (_name, events) => {
    expect(run(events).stage).toBe("consideration");
    expect(run([]).stage).toBe("awareness");
  });

  it.each<[string, JourneyEvent[], Record<string, number>]>([
    ["an add to cart with no checkout: the cart text an hour later", [optIn, add(T0)], { "cart_abandon:cart-1": T0 + HOUR }],
    ["a later add moves the cart text", [optIn, add(T0), add(T0 + 10 * MIN)], { "cart_abandon:cart-1": T0 + 70 * MIN }],
    ["a started checkout hands the cart over to the checkout flow", [optIn, add(T0), checkout(T0 + 5 * MIN)], { "cart:chk-1:1": T0 + 25 * MIN }],
    ["an order cancels the cart text", [optIn, add(T0), order(T0 + 5 * MIN)], {}],
    ["a second view of a product: the browse text two hours later", [optIn, view(T0), view(T0 + 5 * MIN)], { [`browse:p-tent:${T0}`]: T0 + 125 * MIN }],
    ["one view is not enough", [optIn, view(T0)], {}],
    ["an add to cart after the views hands over to the cart flow", [optIn, view(T0), view(T0 + MIN), add(T0 + 2 * MIN)], { "cart_abandon:cart-1": T0 + 62 * MIN }],
    ["an order cancels the browse text", [optIn, view(T0), view(T0 + MIN), order(T0 + 2 * MIN)], {}],
    ["no consent, no text", [add(T0), view(T0), view(T0 + MIN)], {}],
    ["consent after the abandonment: none for a US number (carrier rule)", [add(T0), { ...optIn, at: T0 + MIN }], {}],
  ])("plans %s", (_name, events, expected) => {
    const { pending } = run(events, T0 + 3 * MIN, "US", NO_WELCOME);
    // The order's own thank-you, NPS question and win-back are another story.
    expect(Object.fromEntries(Object.entries(pending).filter(([key]) => !/^(post_purchase|nps|win_back):/.test(key)))).toEqual(expected);
  });

  it("gives consent after the abandonment a cart text outside the US and Canada", () => {
    expect(run([add(T0), { ...optIn, at: T0 + MIN }], T0 + 3 * MIN, "GB", NO_WELCOME).pending).toEqual({ "cart_abandon:cart-1": T0 + HOUR });
  });

  it("says why a pending text was cancelled", () => {
    const handedOver = run([optIn, add(T0), checkout(T0 + 5 * MIN)], T0 + 6 * MIN, "US", NO_WELCOME).commands;
    expect(handedOver).toContainEqual({ type: "cancel", keys: ["cart_abandon:cart-1"], reason: "handed_over" });
    const browsed = run([optIn, view(T0), view(T0 + MIN), add(T0 + 2 * MIN)], T0 + 3 * MIN, "US", NO_WELCOME).commands;
    expect(browsed).toContainEqual({ type: "cancel", keys: [`browse:p-tent:${T0}`], reason: "handed_over" });
  });

  it("texts only about the newest cart, with the discount the flow offers", () => {
    const { commands, pending } = run([optIn, add(T0, "cart-old"), add(T0 + 10 * MIN, "cart-new")], T0 + 11 * MIN, "US", NO_WELCOME);
    expect(pending).toEqual({ "cart_abandon:cart-new": T0 + 70 * MIN });
    expect(commands).toContainEqual({ type: "requestDiscount", key: "cart_abandon:cart-new", percent: 10, expiresInHours: 48 });
  });

  it("plans no browse text while the flow is off (the default)", () => {
    expect(run([optIn, view(T0), view(T0 + MIN)], T0 + 3 * MIN, "US", { ...NO_WELCOME, browseAbandonment: DEFAULT_JOURNEY_SETTINGS.browseAbandonment }).pending).toEqual({});
  });

  it("keeps the state bounded and replays idempotent", () => {
    const views = Array.from({ length: 12 }, (_, i) => view(T0 + i * MIN));
    const carts = Array.from({ length: 8 }, (_, i) => add(T0 + i * MIN, `cart-${i}`));
    const { state } = run([...views, ...carts, add(T0, "cart-0", 2), add(T0, "cart-0", 2)]);
    expect(state.views["p-tent"]!.viewedAt).toHaveLength(MAX_VIEWS_PER_PRODUCT);
    expect(Object.keys(state.carts)).toHaveLength(MAX_CARTS);
    const once = run([add(T0, "c", 2)]).state;
    expect(run([add(T0, "c", 2), add(T0, "c", 2)]).state).toEqual(once);
  });

  it("groups token-less adds by day", () => {
    const { state } = run([add(T0, null), add(T0 + 10 * MIN, null), add(T0 + 24 * HOUR, null)]);
    expect(Object.keys(state.carts).sort()).toEqual(["day-2026-11-20", "day-2026-11-21"]);
  });
});
