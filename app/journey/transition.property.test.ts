import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planMessages } from "./plan";
import { DEFAULT_JOURNEY_SETTINGS } from "./settings";
import { checkoutConverted, consentStatus, initialState } from "./state";
import { transition } from "./transition";
import type { Command, JourneyEvent, JourneySettings, JourneyState } from "./types";

// Browse abandonment is off by default; on here so its texts are part of every property.
const settings: JourneySettings = { ...DEFAULT_JOURNEY_SETTINGS, browseAbandonment: { ...DEFAULT_JOURNEY_SETTINGS.browseAbandonment, enabled: true } };

const T0 = Date.parse("2026-11-20T15:00:00Z");
const MIN = 60_000;
const NOW = T0 + 90 * MIN;

// A small world so that events collide: three checkouts, three orders, minute-level times.
const time = fc.integer({ min: 0, max: 120 }).map((m) => T0 + m * MIN);
const token = fc.constantFrom("a", "b", "c");
const event: fc.Arbitrary<JourneyEvent> = fc.oneof(
  fc.record({ type: fc.constant("opted_in" as const), at: time, source: fc.constantFrom("popup" as const, "checkout" as const) }),
  fc.record({ type: fc.constant("opted_out" as const), at: time, source: fc.constant("sms" as const) }),
  fc.record({ token, at: time, started: fc.integer({ min: 0, max: 30 }), completed: fc.boolean() }).map(({ token, at, started, completed }): JourneyEvent => ({
    type: "checkout_updated",
    token,
    at,
    cartToken: `cart-${token}`,
    startedAt: at - started * MIN,
    completedAt: completed ? at : null,
  })),
  fc.record({ id: fc.constantFrom("o1", "o2", "o3"), at: time, checkoutToken: fc.option(token), byCart: fc.boolean() }).map(({ id, at, checkoutToken, byCart }): JourneyEvent => ({
    type: "order_created",
    orderId: id,
    at,
    checkoutToken,
    cartToken: byCart && checkoutToken ? `cart-${checkoutToken}` : null,
  })),
  fc.record({ type: fc.constant("link_clicked" as const), at: time, messageKey: fc.constant("welcome") }),
  // Storefront behaviour from the pixel (issue #18): two products, titles that may disagree.
  fc
    .record({ product: fc.constantFrom("p1", "p2"), at: time, title: fc.constantFrom("Trail Tent", "Tent"), variant: fc.option(fc.constantFrom("v1", "v2")) })
    .map(({ product, at, title, variant }): JourneyEvent => ({ type: "product_viewed", at, productId: product, variantId: variant, productTitle: title })),
  fc
    .record({ variant: fc.constantFrom("v1", "v2"), at: time, quantity: fc.integer({ min: 1, max: 3 }), cart: fc.option(fc.constantFrom("cart-a", "cart-x")) })
    .map(({ variant, at, quantity, cart }): JourneyEvent => ({
      type: "cart_item_added",
      at,
      productId: variant === "v1" ? "p1" : "p2",
      variantId: variant,
      productTitle: variant === "v1" ? "Trail Tent" : "Camp Stove",
      quantity,
      cartToken: cart,
    })),
);
const region = fc.constantFrom("US", "CA", "GB", null);

interface Row {
  status: "scheduled" | "cancelled";
  dueAt: number;
}

/** Applies commands to an in-memory outbox the way the database adapter does. */
function applyCommands(outbox: Map<string, Row>, commands: Command[]) {
  for (const command of commands) {
    if (command.type === "schedule") outbox.set(command.message.key, { status: "scheduled", dueAt: command.message.dueAt });
    if (command.type === "cancel") {
      const keys = command.keys === "all" ? [...outbox.keys()] : command.keys;
      for (const key of keys) {
        const row = outbox.get(key);
        if (row?.status === "scheduled") outbox.set(key, { ...row, status: "cancelled" });
      }
    }
  }
}

function replay(events: JourneyEvent[], phoneRegion: string | null) {
  let state: JourneyState = initialState(phoneRegion);
  const outbox = new Map<string, Row>();
  for (const e of events) {
    const result = transition(state, e, NOW, settings);
    state = result.state;
    applyCommands(outbox, result.commands);
  }
  const pending = Object.fromEntries([...outbox].filter(([, row]) => row.status === "scheduled").map(([k, row]) => [k, row.dueAt]));
  return { state, pending };
}

const scenario = fc
  .record({ events: fc.array(event, { maxLength: 14 }), region })
  .chain(({ events, region }) => fc.record({ events: fc.constant(events), shuffled: fc.shuffledSubarray(events, { minLength: events.length }), region: fc.constant(region) }));

describe("journey engine properties", () => {
  it("ends with the same pending texts whatever order the events arrive in", () => {
    fc.assert(
      fc.property(scenario, ({ events, shuffled, region }) => {
        expect(replay(shuffled, region).pending).toEqual(replay(events, region).pending);
      }),
      { numRuns: 1000 },
    );
  });

  it("leaves exactly the planned messages pending after every event", () => {
    fc.assert(
      fc.property(scenario, ({ events, region }) => {
        const { state, pending } = replay(events, region);
        const planned = Object.fromEntries(planMessages(state, NOW, settings).map((m) => [m.key, m.dueAt]));
        expect(pending).toEqual(planned);
      }),
      { numRuns: 1000 },
    );
  });

  it("never leaves a text pending for a shopper who has opted out", () => {
    fc.assert(
      fc.property(scenario, ({ shuffled, region }) => {
        const { state, pending } = replay(shuffled, region);
        if (!consentStatus(state.consentLog).granted) expect(pending).toEqual({});
      }),
      { numRuns: 1000 },
    );
  });

  it("never leaves a cart text pending for a checkout the shopper has bought", () => {
    fc.assert(
      fc.property(scenario, ({ shuffled, region }) => {
        const { state, pending } = replay(shuffled, region);
        for (const [tok, checkout] of Object.entries(state.checkouts)) {
          if (!checkoutConverted(state, tok, checkout)) continue;
          expect(Object.keys(pending).filter((key) => key.startsWith(`cart:${tok}:`))).toEqual([]);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("keeps at most one browse and one cart text pending, none once the shopper has moved on or bought", () => {
    fc.assert(
      fc.property(scenario, ({ shuffled, region }) => {
        const { state, pending } = replay(shuffled, region);
        const cartTexts = Object.keys(pending).filter((key) => key.startsWith("cart_abandon:"));
        const browseTexts = Object.keys(pending).filter((key) => key.startsWith("browse:"));
        expect(cartTexts.length).toBeLessThanOrEqual(1);
        expect(browseTexts.length).toBeLessThanOrEqual(1);
        for (const key of cartTexts) {
          const cart = state.carts[key.slice("cart_abandon:".length)]!;
          // A checkout or an order since the first add hands the cart over (or ends it).
          expect(Object.values(state.checkouts).some((c) => c.lastActivityAt >= cart.firstAddedAt)).toBe(false);
          expect(Object.values(state.orders).some((o) => o.at >= cart.firstAddedAt)).toBe(false);
        }
        for (const key of browseTexts) {
          const started = Number(key.split(":").at(-1));
          expect(Object.values(state.carts).some((c) => c.lastAddedAt >= started)).toBe(false);
          expect(Object.values(state.orders).some((o) => o.at >= started)).toBe(false);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("gives a US/CA number at most one cart text per checkout, within 48 h, after consent", () => {
    fc.assert(
      fc.property(scenario, ({ shuffled }) => {
        const { state, pending } = replay(shuffled, "US");
        const consent = consentStatus(state.consentLog);
        for (const [tok, checkout] of Object.entries(state.checkouts)) {
          const keys = Object.keys(pending).filter((key) => key.startsWith(`cart:${tok}:`));
          expect(keys.length).toBeLessThanOrEqual(1);
          for (const key of keys) {
            expect(pending[key]! - checkout.lastActivityAt).toBeLessThanOrEqual(48 * 60 * MIN);
            expect(consent.since!).toBeLessThanOrEqual(checkout.lastActivityAt);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });
});
