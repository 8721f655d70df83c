import { describe, expect, it } from "vitest";
import { offerKey, POOL, poolWindow, wantsFill } from "./discount-pool";

const HOUR = 3_600_000;

describe("discount code pools", () => {
  it("hands a pool's codes out until the top of the hour at least 15 minutes away, each valid its offer's hours after that", () => {
    expect(poolWindow(new Date("2026-12-07T15:00:00Z"), 48)).toEqual({ usableUntil: new Date("2026-12-07T16:00:00Z"), endsAt: new Date("2026-12-09T16:00:00Z") });
    expect(poolWindow(new Date("2026-12-07T15:44:59Z"), 24).usableUntil).toEqual(new Date("2026-12-07T16:00:00Z"));
    expect(poolWindow(new Date("2026-12-07T15:45:00Z"), 24).usableUntil).toEqual(new Date("2026-12-07T16:00:00Z"));
    expect(poolWindow(new Date("2026-12-07T15:45:01Z"), 24).usableUntil).toEqual(new Date("2026-12-07T17:00:00Z"));
    // Whenever a code is taken in its window, it lives at least the offer's hours and at most 75 minutes more.
    for (let minute = 0; minute < 60; minute += 7) {
      const now = new Date(Date.UTC(2026, 11, 7, 15, minute));
      const { usableUntil, endsAt } = poolWindow(now, 48);
      expect(usableUntil.getTime() - now.getTime()).toBeGreaterThanOrEqual(15 * 60_000);
      expect(usableUntil.getTime() - now.getTime()).toBeLessThanOrEqual(75 * 60_000);
      expect(endsAt.getTime() - usableUntil.getTime()).toBe(48 * HOUR);
    }
  });

  it("starts a pool for a busy tick, or one that took from it, never for a quiet one", () => {
    expect(wantsFill(POOL.minDemand, 0)).toBe(true);
    expect(wantsFill(POOL.minDemand - 1, 0)).toBe(false);
    expect(wantsFill(1, 1)).toBe(true);
    expect(POOL.codesPerCall).toBe(250); // discountRedeemCodeBulkAdd's limit
  });

  it("keys an offer by shop, flow, percent and hours", () => {
    const offer = { shop: "a.myshopify.com", flow: "cart_recovery", percent: 10, hours: 48 };
    expect(offerKey(offer)).toBe(offerKey({ ...offer }));
    for (const other of [{ shop: "b.myshopify.com" }, { flow: "campaign" }, { percent: 15 }, { hours: 24 }]) expect(offerKey({ ...offer, ...other })).not.toBe(offerKey(offer));
  });
});
