import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FIRST_HOUSEKEEPING_AFTER_MS, firstHousekeepingAt } from "./housekeeping-schedule";

describe("firstHousekeepingAt", () => {
  it("never runs housekeeping in a dispatcher's first minute, and always within five", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 41 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (startedAt, random) => {
        const after = firstHousekeepingAt(startedAt, random) - startedAt;
        expect(after).toBeGreaterThanOrEqual(FIRST_HOUSEKEEPING_AFTER_MS.least);
        expect(after).toBeLessThan(FIRST_HOUSEKEEPING_AFTER_MS.most);
      }),
    );
  });

  it("spreads workers started together over the four minutes", () => {
    expect(firstHousekeepingAt(0, 0)).toBe(60_000);
    expect(firstHousekeepingAt(0, 0.5)).toBe(180_000);
    expect(firstHousekeepingAt(0, 0.999)).toBeGreaterThan(299_000);
  });
});
