import { describe, expect, it } from "vitest";
import { newcombeDifference, wilsonInterval } from "./lift-stats";

// Reference values from Newcombe (1998), "Interval estimation for the difference between
// independent proportions", Statistics in Medicine 17:873–890, method 10, and Newcombe (1998)
// "Two-sided confidence intervals for the single proportion", method 3 (Wilson).
describe("confidence intervals", () => {
  it.each([
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
    [5, 56, 0, 29, -0.0381, 0.1926],
    [0, 10, 0, 20, -0.1611, 0.2775],
  ])("Newcombe difference %i/%i − %i/%i is (%f, %f)", (x1, n1, x2, n2, lower, upper) => {
    const interval = newcombeDifference(x1, n1, x2, n2);
    expect(interval.lower).toBeCloseTo(lower, 4);
    expect(interval.upper).toBeCloseTo(upper, 4);
  });

  it("matches the published Wilson interval for 81/263 and handles 0/n", () => {
    const interval = wilsonInterval(81, 263);
    expect(interval.lower).toBeCloseTo(0.2553, 4);
    expect(interval.upper).toBeCloseTo(0.3662, 4);
    expect(wilsonInterval(0, 10).lower).toBe(0);
    expect(wilsonInterval(0, 0)).toEqual({ lower: 0, upper: 1 });
  });
});
