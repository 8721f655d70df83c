import { describe, expect, it } from "vitest";
import { DEFAULT_JOURNEY_SETTINGS as settings } from "./settings";
import { initialState, stageOf } from "./state";
import { transition } from "./transition";
import type { Command, JourneyEvent, JourneyState } from "./types";

const T0 = Date.parse("2026-11-20T15:00:00Z");
const MIN = 60_000;
const HOUR = 60 * MIN;

function run(events: JourneyEvent[], now = T0, state: JourneyState = initialState("US")) {
  const commands: Command[] = [];
  for (const event of events) {
    const result = transition(state, event, now, settings);
    state = result.state;
    commands.push(...result.commands);
  }
  return { state, commands, stage: stageOf(state) };
}

const optIn = (at: number, source: "popup" | "checkout" = "popup"): JourneyEvent => ({ type: "opted_in", at, source });
const checkout = (token: string, at: number, extra: Partial<Extract<JourneyEvent, { type: "checkout_updated" }>> = {}): JourneyEvent => ({
  type: "checkout_updated",
  at,
  token,
  cartToken: `cart-${token}`,
  startedAt: at,
  completedAt: null,
  ...extra,
});
const order = (orderId: string, at: number, checkoutToken: string | null = null): JourneyEvent => ({
  type: "order_created",
  at,
  orderId,
  checkoutToken,
  cartToken: null,
});
const scheduledKeys = (commands: Command[]) => commands.flatMap((c) => (c.type === "schedule" ? [c.message.key] : []));

describe("welcome flow", () => {
  it("schedules a welcome text with a 15% code when a shopper opts in through the popup", () => {
    const { commands, stage } = run([optIn(T0)]);
    expect(commands).toEqual([
      { type: "schedule", message: { key: "welcome", flow: "welcome", step: 1, dueAt: T0 } },
      { type: "requestDiscount", key: "welcome", percent: 15, expiresInHours: 168 },
    ]);
    expect(stage).toBe("awareness");
  });

  it("does not welcome a shopper whose consent was ticked at checkout", () => {
    expect(scheduledKeys(run([optIn(T0, "checkout")]).commands)).toEqual([]);
  });

  it("does not schedule the welcome twice when the same opt-in is replayed", () => {
    const first = run([optIn(T0)]);
    const again = transition(first.state, optIn(T0), T0, settings);
    expect(again.commands).toEqual([]);
  });
});

describe("abandoned checkout flow", () => {
  it("schedules one cart text 20 minutes after the last checkout update for a US shopper", () => {
    const { commands, stage } = run([optIn(T0 - HOUR, "checkout"), checkout("tok1", T0)]);
    expect(scheduledKeys(commands)).toEqual(["cart:tok1:1"]);
    const schedule = commands.find((c) => c.type === "schedule");
    expect(schedule).toMatchObject({ message: { dueAt: T0 + 20 * MIN, checkoutToken: "tok1", flow: "cart_recovery" } });
    expect(stage).toBe("consideration");
  });

  it("restarts the abandonment timer when the checkout is updated again", () => {
    const { state } = run([optIn(T0 - HOUR, "checkout"), checkout("tok1", T0)]);
    const later = transition(state, checkout("tok1", T0 + 10 * MIN, { startedAt: T0 }), T0 + 10 * MIN, settings);
    expect(later.commands.filter((c) => c.type === "schedule")).toEqual([{ type: "schedule", message: expect.objectContaining({ key: "cart:tok1:1", dueAt: T0 + 30 * MIN }) }]);
  });

  it("ignores an out-of-date checkout update instead of moving the timer back", () => {
    const { state } = run([optIn(T0 - HOUR, "checkout"), checkout("tok1", T0 + 10 * MIN, { startedAt: T0 })]);
    const stale = transition(state, checkout("tok1", T0), T0 + 11 * MIN, settings);
    expect(stale.commands).toEqual([]);
  });

  it("gives non-US/CA numbers up to three configured steps", () => {
    const { commands } = run([optIn(T0 - HOUR, "checkout"), checkout("tok1", T0)], T0, initialState("GB"));
    expect(scheduledKeys(commands)).toEqual(["cart:tok1:1", "cart:tok1:2", "cart:tok1:3"]);
  });

  it("sends no cart text to a US shopper who opted in only after abandoning (carrier rule)", () => {
    const { commands } = run([checkout("tok1", T0), optIn(T0 + HOUR)], T0 + HOUR);
    expect(scheduledKeys(commands)).toEqual(["welcome"]);
  });

  it("treats a phone of unknown region with the stricter US/CA rules", () => {
    const { commands } = run([optIn(T0 - HOUR, "checkout"), checkout("tok1", T0)], T0, initialState(null));
    expect(scheduledKeys(commands)).toEqual(["cart:tok1:1"]);
  });

  it("schedules nothing for a checkout whose 48 h window has already passed", () => {
    const { commands } = run([optIn(T0 - HOUR, "checkout"), checkout("tok1", T0)], T0 + 49 * HOUR);
    expect(scheduledKeys(commands)).toEqual([]);
  });

  it("cancels the pending cart text when the matching order arrives", () => {
    const { state } = run([optIn(T0 - HOUR, "checkout"), checkout("tok1", T0)]);
    const result = transition(state, order("o1", T0 + 5 * MIN, "tok1"), T0 + 5 * MIN, settings);
    expect(result.commands[0]).toEqual({ type: "cancel", keys: ["cart:tok1:1"], reason: "ordered" });
    expect(result.stage).toBe("conversion");
  });

  it("matches an order to its checkout by cart token when the checkout token is missing", () => {
    const { state } = run([optIn(T0 - 2 * HOUR, "checkout"), checkout("tok1", T0)]);
    // Placed "before" the checkout started (clock skew), so only the cart token links them.
    const result = transition(state, { type: "order_created", at: T0 - 30 * MIN, orderId: "o1", checkoutToken: null, cartToken: "cart-tok1" }, T0, settings);
    expect(result.commands).toContainEqual({ type: "cancel", keys: ["cart:tok1:1"], reason: "ordered" });
  });

  it("schedules nothing when the order arrived before its checkout webhook", () => {
    const { commands } = run([optIn(T0 - HOUR, "checkout"), order("o1", T0 + MIN, "tok1"), checkout("tok1", T0)]);
    expect(scheduledKeys(commands).filter((k) => k.startsWith("cart:"))).toEqual([]);
  });

  it("cancels a pending cart text when the checkout itself reports completion", () => {
    const { state } = run([optIn(T0 - HOUR, "checkout"), checkout("tok1", T0)]);
    const result = transition(state, checkout("tok1", T0 + 2 * MIN, { startedAt: T0, completedAt: T0 + 2 * MIN }), T0, settings);
    expect(result.commands).toContainEqual({ type: "cancel", keys: ["cart:tok1:1"], reason: "checkout_completed" });
  });
});

describe("consent", () => {
  it("cancels everything pending when the shopper opts out", () => {
    const { state } = run([optIn(T0 - HOUR, "checkout"), checkout("tok1", T0)]);
    const result = transition(state, { type: "opted_out", at: T0 + MIN, source: "sms" }, T0 + MIN, settings);
    expect(result.commands).toEqual([{ type: "cancel", keys: "all", reason: "opted_out" }]);
  });

  it("keeps a shopper opted out when an older opt-in arrives after the opt-out", () => {
    const { commands } = run([{ type: "opted_out", at: T0, source: "sms" }, optIn(T0 - HOUR), checkout("tok1", T0 + MIN)]);
    expect(scheduledKeys(commands)).toEqual([]);
  });

  it("lets an opt-out win a tie with an opt-in at the same instant", () => {
    const { commands } = run([optIn(T0), { type: "opted_out", at: T0, source: "sms" }, checkout("tok1", T0 + MIN)]);
    expect(scheduledKeys(commands.slice(2))).toEqual([]);
  });
});

describe("post-purchase and win-back", () => {
  it("thanks a consenting buyer a day later, asks the NPS question a week later and plans a win-back 60 days out", () => {
    const { commands, stage } = run([optIn(T0 - HOUR, "checkout"), order("o1", T0)]);
    expect(commands.filter((c) => c.type === "schedule")).toEqual([
      { type: "schedule", message: { key: "post_purchase:o1", flow: "post_purchase", step: 1, dueAt: T0 + 24 * HOUR, orderId: "o1" } },
      { type: "schedule", message: { key: "nps:o1", flow: "nps_survey", step: 1, dueAt: T0 + 7 * 24 * HOUR, orderId: "o1" } },
      { type: "schedule", message: { key: "win_back:o1", flow: "win_back", step: 1, dueAt: T0 + 60 * 24 * HOUR, orderId: "o1" } },
    ]);
    expect(stage).toBe("conversion");
  });

  it("moves a repeat buyer to loyalty and replaces the win-back with one from the newest order", () => {
    const { state } = run([optIn(T0 - HOUR, "checkout"), order("o1", T0)]);
    const result = transition(state, order("o2", T0 + 2 * HOUR), T0 + 2 * HOUR, settings);
    expect(result.stage).toBe("loyalty");
    expect(result.commands[0]).toEqual({ type: "cancel", keys: ["post_purchase:o1", "nps:o1", "win_back:o1"], reason: "ordered" });
    expect(scheduledKeys(result.commands)).toEqual(["post_purchase:o2", "nps:o2", "win_back:o2"]);
  });

  it("does not ask the NPS question when the merchant switched it off, nor when the post-purchase flow is off", () => {
    for (const postPurchase of [
      { ...settings.postPurchase, npsQuestion: { enabled: false, afterDays: 7 } },
      { ...settings.postPurchase, enabled: false },
    ]) {
      const off = { ...settings, postPurchase };
      const state = run([optIn(T0 - HOUR, "checkout")]).state;
      const { commands } = transition(state, order("o1", T0), T0, off);
      expect(scheduledKeys(commands)).not.toContain("nps:o1");
      expect(scheduledKeys(commands)).toContain("win_back:o1");
    }
  });

  it("asks the NPS question after the number of days the merchant chose, never for an order from the imported history", () => {
    const later = { ...settings, postPurchase: { ...settings.postPurchase, npsQuestion: { enabled: true, afterDays: 14 } } };
    const state = run([optIn(T0 - HOUR, "checkout")]).state;
    const { commands } = transition(state, order("o1", T0), T0, later);
    expect(commands).toContainEqual({ type: "schedule", message: { key: "nps:o1", flow: "nps_survey", step: 1, dueAt: T0 + 14 * 24 * HOUR, orderId: "o1" } });
    const imported = transition(state, { type: "order_created", at: T0, orderId: "o2", checkoutToken: null, cartToken: null, imported: true }, T0, settings);
    expect(scheduledKeys(imported.commands)).not.toContain("nps:o2");
  });

  it("counts a replayed order once", () => {
    const { state } = run([order("o1", T0), order("o1", T0)]);
    expect(state.orderCount).toBe(1);
  });
});

describe("settings", () => {
  it("fills in defaults for settings stored by an older version", async () => {
    const { readJourneySettings } = await import("./settings");
    const { settings: read, problems } = readJourneySettings({ winBack: { afterDays: 90 } });
    expect(problems).toEqual([]);
    expect(read.winBack).toMatchObject({ enabled: true, afterDays: 90, discountPercent: 15 });
    expect(read.cartRecovery.steps[0]).toEqual({ delayMinutes: 20, discountPercent: 10 });
  });

  it("turns every flow off when stored settings are unreadable, instead of re-enabling defaults", async () => {
    const { readJourneySettings } = await import("./settings");
    const { settings: read, problems } = readJourneySettings({ winBack: { enabled: false, afterDays: "soon" } });
    expect(problems.join()).toMatch(/afterDays/);
    const { commands } = (() => {
      let state = initialState("US");
      const all: Command[] = [];
      for (const e of [optIn(T0), order("o1", T0), checkout("t", T0)]) {
        const r = transition(state, e, T0, read);
        state = r.state;
        all.push(...r.commands);
      }
      return { commands: all };
    })();
    expect(scheduledKeys(commands)).toEqual([]);
  });
});

describe("orders from the history import (ADR 014)", () => {
  const imported = (orderId: string, at: number): JourneyEvent => ({ ...order(orderId, at), imported: true }) as JourneyEvent;

  it("plans no post-purchase text for an imported order, however recent, but counts it for win-back and stage", () => {
    const { commands, stage, state } = run([optIn(T0 - 90 * 24 * HOUR), imported("o1", T0 - 10 * MIN)]);
    expect(scheduledKeys(commands)).toEqual(["win_back:o1"]);
    expect(stage).toBe("conversion");
    expect(state.orders.o1).toMatchObject({ imported: true });
  });

  it("plans no win-back for an imported order's buyer without SMS consent", () => {
    expect(scheduledKeys(run([imported("o1", T0 - 10 * 24 * HOUR)]).commands)).toEqual([]);
  });

  it("treats an imported order that orders/create later delivers as a live order, in either order", () => {
    const a = run([optIn(T0 - HOUR), imported("o1", T0 - 10 * MIN), order("o1", T0 - 10 * MIN)]);
    const b = run([optIn(T0 - HOUR), order("o1", T0 - 10 * MIN), imported("o1", T0 - 10 * MIN)]);
    expect(a.state).toEqual(b.state);
    expect(a.state.orders.o1!.imported).toBeUndefined();
    expect(a.state.orderCount).toBe(1);
    expect(scheduledKeys(a.commands)).toContain("post_purchase:o1");
  });
});
