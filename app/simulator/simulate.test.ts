import { describe, expect, it } from "vitest";
import { DEFAULT_JOURNEY_SETTINGS } from "../journey";
import { DEFAULT_CAPS } from "../messaging/frequency-cap";
import { minutesIntoDay } from "../lib/zoned-time";
import { tomorrowAt } from "../services/journey-simulator.server";
import { PRESET_SCENARIOS, type Scenario } from "./scenarios";
import { simulateJourney, type SimulationInput, type TimelineRow } from "./simulate";

const NOW = new Date("2026-11-25T12:00:00Z");
const noHoldout = { welcome: 0, browse_abandonment: 0, cart_abandonment: 0, cart_recovery: 0, post_purchase: 0, win_back: 0 };

function run(id: string, zone: string, region: string, extra: Partial<SimulationInput> = {}) {
  const { scenario } = PRESET_SCENARIOS.find((p) => p.id === id)! as { scenario: Scenario };
  const [h, m] = scenario.startTime.split(":").map(Number) as [number, number];
  return simulateJourney({
    shopperId: "sim",
    phoneRegion: region,
    timeZone: zone,
    window: { startHour: 8, endHour: 21 },
    caps: DEFAULT_CAPS,
    journey: { ...DEFAULT_JOURNEY_SETTINGS, holdoutPercent: noHoldout },
    start: tomorrowAt(NOW, zone, h * 60 + m),
    steps: scenario.steps,
    ...extra,
  });
}

/** Each row as "<local time> <what>", for readable expectations. */
const story = (rows: TimelineRow[], zone: string) =>
  rows.map((r) => {
    const t = new Intl.DateTimeFormat("en-GB", { timeZone: zone, month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(r.at);
    const what = r.kind === "action" ? r.label : `${r.kind} ${r.key}${"reason" in r ? ` (${r.reason})` : ""}`;
    return `${t} ${what}`;
  });

describe("the journey simulator", () => {
  it("defers a late-night Florida cart text to 8:00, then follows the click and the order with a thank-you, the NPS question and a win-back", () => {
    const result = run("florida-late", "America/New_York", "US", { window: { startHour: 8, endHour: 20 } });
    expect(story(result.timeline, "America/New_York")).toEqual([
      "26 Nov, 22:40 Ticks “text me” at checkout",
      "26 Nov, 22:40 Leaves a checkout",
      "26 Nov, 22:40 scheduled cart:sim-checkout-1:1",
      "26 Nov, 23:00 deferred cart:sim-checkout-1:1 (quiet_hours)",
      "27 Nov, 08:00 sent cart:sim-checkout-1:1",
      "27 Nov, 08:12 Clicks the link in text 1",
      "27 Nov, 08:17 Buys",
      "27 Nov, 08:17 scheduled post_purchase:sim-order-1",
      "27 Nov, 08:17 scheduled nps:sim-order-1",
      "27 Nov, 08:17 scheduled win_back:sim-order-1",
      "28 Nov, 08:17 sent post_purchase:sim-order-1",
      "4 Dec, 08:17 sent nps:sim-order-1",
      "26 Jan, 08:17 sent win_back:sim-order-1",
    ]);
    expect(result.pending).toEqual([]);
  });

  it("sends every cart step to a UK number and cancels the third after the order", () => {
    const result = run("london-second-text", "Europe/London", "GB");
    const rows = story(result.timeline, "Europe/London");
    expect(rows.filter((r) => / (sent|cancelled) cart/.test(r))).toEqual([
      "26 Nov, 14:20 sent cart:sim-checkout-1:1",
      "27 Nov, 14:00 sent cart:sim-checkout-1:2",
      "27 Nov, 14:40 cancelled cart:sim-checkout-1:3 (ordered)",
    ]);
    expect(rows).toContain("27 Nov, 14:30 Clicks the link in text 2");
  });

  it("sends nothing after STOP, and says why the later checkout got no text", () => {
    const result = run("popup-then-stop", "America/Los_Angeles", "US");
    const sent = result.timeline.filter((r) => r.kind === "sent");
    expect(sent.map((r) => r.key)).toEqual(["welcome"]);
    const stopAt = result.timeline.find((r) => r.kind === "action" && r.label === "Replies STOP")!.at;
    expect(stopAt - sent[0]!.at).toBe(3 * 60_000);
    expect(result.notes).toEqual(["No cart text: the shopper had opted out."]);
  });

  it("explains the carrier rule when a US/Canadian shopper subscribes after abandoning", () => {
    const result = run("signup-after-abandoning", "America/Toronto", "CA");
    expect(result.timeline.filter((r) => r.kind === "sent").map((r) => r.key)).toEqual(["welcome"]);
    expect(result.notes[0]).toMatch(/subscribed after abandoning/);
  });

  it("cancels the cart text when the shopper buys first", () => {
    const result = run("buys-first", "America/New_York", "US");
    expect(result.timeline.filter((r) => r.kind === "cancelled").map((r) => [r.key, "reason" in r && r.reason])).toEqual([["cart:sim-checkout-1:1", "ordered"]]);
    expect(result.timeline.some((r) => r.kind === "sent" && r.flow === "cart_recovery")).toBe(false);
  });

  it("skips texts for a shopper in the control group, through the real holdout check", () => {
    const all = { welcome: 100, browse_abandonment: 100, cart_abandonment: 100, cart_recovery: 100, post_purchase: 100, win_back: 100 };
    const result = run("buys-first", "America/New_York", "US", { journey: { ...DEFAULT_JOURNEY_SETTINGS, holdoutPercent: all } });
    expect(result.timeline.filter((r) => r.kind === "skipped").map((r) => "reason" in r && r.reason)).toEqual(["holdout", "holdout"]);
  });

  it("says when a step waits for a text that never comes", () => {
    const result = run("london-second-text", "Europe/London", "GB", {
      journey: { ...DEFAULT_JOURNEY_SETTINGS, holdoutPercent: noHoldout, cartRecovery: { ...DEFAULT_JOURNEY_SETTINGS.cartRecovery, steps: [{ delayMinutes: 20, discountPercent: 10 }] } },
    });
    expect(result.notes).toContain("Step 3 (Clicks the link in text 2) never happened: text 2 was never sent.");
  });

  it("starts at the shopper's local time the next day", () => {
    for (const zone of ["America/New_York", "Asia/Kolkata", "Pacific/Auckland"]) {
      const at = tomorrowAt(NOW, zone, 22 * 60 + 40);
      expect(minutesIntoDay(new Date(at), zone)).toBe(22 * 60 + 40);
      expect(at).toBeGreaterThan(NOW.getTime());
    }
  });
});
