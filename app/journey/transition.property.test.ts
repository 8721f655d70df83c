import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planMessages } from "./plan";
import { DEFAULT_JOURNEY_SETTINGS as settings } from "./settings";
import { checkoutConverted, consentStatus, initialState } from "./state";
import { transition } from "./transition";
import type { Command, JourneyEvent, JourneyState } from "./types";

const T0 = Date.parse("2026-11-20T15:00:00Z");
const MIN = 60_000;
const NOW = T0 + 90 * MIN;

// A small world so that events collide: three checkouts, three orders, minute-level times.
const time = fc.integer({ min: 0, max: 120 }).map((m) => T0 + m * MIN);
const token = fc.constantFrom("a", "b", "c");
const event: fc.Arbitrary<JourneyEvent> = fc.oneof(
  fc.record({ type: fc.constant("opted_in" as const), at: time, source: fc.constantFrom("popup" as const, "checkout" as const) }),
  fc.record({ type: fc.constant("opted_out" as const), at: time, source: fc.constant("sms" as const) }),
  fc
    .record({ token, at: time, started: fc.integer({ min: 0, max: 30 }), completed: fc.boolean() })
    .map(({ token, at, started, completed }): JourneyEvent => ({
      type: "checkout_updated",
      token,
      at,
      cartToken: `cart-${token}`,
      startedAt: at - started * MIN,
      completedAt: completed ? at : null,
    })),
  fc
    .record({ id: fc.constantFrom("o1", "o2", "o3"), at: time, checkoutToken: fc.option(token), byCart: fc.boolean() })
    .map(({ id, at, checkoutToken, byCart }): JourneyEvent => ({
      type: "order_created",
      orderId: id,
      at,
      checkoutToken,
      cartToken: byCart && checkoutToken ? `cart-${checkoutToken}` : null,
    })),
  fc.record({ type: fc.constant("link_clicked" as const), at: time, messageKey: fc.constant("welcome") }),
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

const scenario = fc.record({ events: fc.array(event, { maxLength: 12 }), region }).chain(({ events, region }) =>
  fc.record({ events: fc.constant(events), shuffled: fc.shuffledSubarray(events, { minLength: events.length }), region: fc.constant(region) }),
);

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
