import { describe, expect, it } from "vitest";
import { abandonmentDeadline, allowedAbandonmentSteps, carrierRuleApplies } from "./carrier-rule";

const HOUR = 3_600_000;
const ABANDONED = Date.parse("2026-11-24T15:00:00Z");

describe("the US/Canada carrier rule for abandonment texts", () => {
  it("covers US, Canadian and unknown numbers, and no others", () => {
    expect(carrierRuleApplies("US")).toBe(true);
    expect(carrierRuleApplies("CA")).toBe(true);
    expect(carrierRuleApplies(null)).toBe(true);
    expect(carrierRuleApplies("GB")).toBe(false);
  });

  it("keeps only the first step where it applies", () => {
    expect(allowedAbandonmentSteps("US", ["a", "b", "c"])).toEqual(["a"]);
    expect(allowedAbandonmentSteps("DE", ["a", "b", "c"])).toEqual(["a", "b", "c"]);
  });

  it("cuts the window to 48 hours where it applies", () => {
    expect(abandonmentDeadline("CA", ABANDONED - HOUR, ABANDONED, 72)).toBe(ABANDONED + 48 * HOUR);
    expect(abandonmentDeadline("CA", ABANDONED - HOUR, ABANDONED, 24)).toBe(ABANDONED + 24 * HOUR);
    expect(abandonmentDeadline("GB", ABANDONED - HOUR, ABANDONED, 72)).toBe(ABANDONED + 72 * HOUR);
  });

  it("allows no text to a shopper who subscribed after abandoning, where it applies", () => {
    expect(abandonmentDeadline("US", ABANDONED + 1, ABANDONED, 24)).toBeNull();
    expect(abandonmentDeadline(null, ABANDONED + 1, ABANDONED, 24)).toBeNull();
    expect(abandonmentDeadline("GB", ABANDONED + 1, ABANDONED, 24)).toBe(ABANDONED + 24 * HOUR);
  });
});
