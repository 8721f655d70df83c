import { describe, expect, it } from "vitest";
import { normalizePhone } from "~/lib/phone";
import { demoPhone, orderTotal, planScenario } from "./plan";

const options = { seed: 7, shoppers: 200, days: 3, followUps: true };

describe("planScenario", () => {
  it("gives the same scenario for the same seed", () => {
    expect(planScenario(options)).toEqual(planScenario({ ...options }));
  });

  it("gives a different scenario for another seed", () => {
    const a = planScenario(options).shoppers.map((s) => [s.kind, s.arrivesAt]);
    const b = planScenario({ ...options, seed: 8 }).shoppers.map((s) => [s.kind, s.arrivesAt]);
    expect(a).not.toEqual(b);
  });

  it("mixes every kind of shopper and reaction", () => {
    const { shoppers } = planScenario(options);
    expect(new Set(shoppers.map((s) => s.kind))).toEqual(new Set(["subscriber", "abandoner", "quick_buyer", "no_consent"]));
    const reactions = new Set(shoppers.flatMap((s) => [s.onFirstText.kind, s.onPostPurchaseText.kind]));
    expect(reactions).toEqual(new Set(["ignore", "click", "click_and_buy", "stop", "buy_with_code"]));
    expect(shoppers.some((s) => s.kind === "abandoner" && s.buysUnpromptedAfter !== null)).toBe(true);
  });

  it("sends subscribers who leave the welcome be browsing: both browse and cart abandonments, no one else", () => {
    const { shoppers } = planScenario(options);
    const visits = shoppers.filter((s) => s.storefront);
    expect(new Set(visits.map((s) => s.storefront!.kind))).toEqual(new Set(["browse", "cart"]));
    expect(visits.every((s) => s.kind === "subscriber" && s.onFirstText.kind === "ignore")).toBe(true);
    expect(shoppers.filter((s) => s.kind === "subscriber" && s.onFirstText.kind === "ignore").every((s) => s.storefront)).toBe(true);
  });

  it("keeps shoppers to 09:00–15:00 on the store's days, and ends at 21:00 after the follow-up days", () => {
    const scenario = planScenario(options);
    for (const s of scenario.shoppers) {
      const minuteOfDay = s.arrivesAt % 1440;
      expect(minuteOfDay).toBeGreaterThanOrEqual(60);
      expect(minuteOfDay).toBeLessThanOrEqual(7 * 60);
      expect(Math.floor(s.arrivesAt / 1440)).toBeLessThan(3);
    }
    expect(scenario.endsAt).toBe(4 * 1440 + 13 * 60);
    expect(planScenario({ ...options, followUps: false }).endsAt).toBe(2 * 1440 + 13 * 60);
  });

  it("gives every shopper their own valid US mobile number and checkout token", () => {
    const { shoppers } = planScenario(options);
    expect(new Set(shoppers.map((s) => s.phone)).size).toBe(shoppers.length);
    expect(new Set(shoppers.map((s) => s.cart.token)).size).toBe(shoppers.length);
    for (const s of shoppers.slice(0, 30)) expect(normalizePhone(s.phone, "US", { strict: true })?.e164).toBe(s.phone);
    expect(demoPhone(999)).toBe("+19195550199");
  });

  it("refuses sizes it can't give numbers to", () => {
    expect(() => planScenario({ ...options, shoppers: 1001 })).toThrow(RangeError);
    expect(() => planScenario({ ...options, days: 0 })).toThrow(RangeError);
  });

  it("prices an order with a percentage code to the cent", () => {
    expect(orderTotal(189, 10)).toBe(170.1);
    expect(orderTotal(35, 15)).toBe(29.75);
    expect(orderTotal(29, null)).toBe(29);
  });
});
