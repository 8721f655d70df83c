import { describe, expect, it } from "vitest";
import { MAX_PERIOD_DAYS, PeriodQuerySchema, periodInstants, presetOf, presetPeriod, resolvePeriod } from "./period";

const TODAY = "2026-11-24";

describe("the dashboard period from the address", () => {
  it("is the last 30 days, today included, when the address has no dates", () => {
    expect(resolvePeriod({}, TODAY)).toEqual({ period: { from: "2026-10-26", to: TODAY, days: 30, bucket: "day" }, notice: null });
  });

  it("takes a valid range as given, both days included", () => {
    expect(resolvePeriod({ from: "2026-11-01", to: "2026-11-01" }, TODAY)).toEqual({
      period: { from: "2026-11-01", to: "2026-11-01", days: 1, bucket: "day" },
      notice: null,
    });
  });

  it("groups by week past about a quarter", () => {
    expect(resolvePeriod({ from: "2026-08-25", to: TODAY }, TODAY).period).toMatchObject({ days: 92, bucket: "day" });
    expect(resolvePeriod({ from: "2026-08-24", to: TODAY }, TODAY).period).toMatchObject({ days: 93, bucket: "week" });
  });

  it("falls back to the last 30 days with a notice for dates it can't read", () => {
    for (const query of [{ from: "2026-11-01" }, { from: "yesterday", to: TODAY }, { from: "2026-02-30", to: "2026-03-01" }]) {
      const { period, notice } = resolvePeriod(query, TODAY);
      expect(period.days).toBe(30);
      expect(notice).toMatch(/couldn't be read/);
    }
  });

  it("falls back with a notice when the start is after the end, or in the future", () => {
    expect(resolvePeriod({ from: "2026-11-10", to: "2026-11-01" }, TODAY)).toMatchObject({ period: { days: 30 }, notice: expect.stringMatching(/after the end/) });
    expect(resolvePeriod({ from: "2026-12-01", to: "2026-12-02" }, TODAY)).toMatchObject({ period: { days: 30 }, notice: expect.stringMatching(/hasn't started/) });
  });

  it("cuts an end in the future at today, and a period over two years to two years before its end", () => {
    expect(resolvePeriod({ from: "2026-11-20", to: "2027-01-01" }, TODAY)).toEqual({
      period: { from: "2026-11-20", to: TODAY, days: 5, bucket: "day" },
      notice: "The period is cut off at today.",
    });
    const long = resolvePeriod({ from: "2020-01-01", to: "2025-12-31" }, TODAY);
    expect(long.period).toEqual({ from: "2024-01-01", to: "2025-12-31", days: MAX_PERIOD_DAYS, bucket: "week" });
    expect(long.notice).toMatch(/at most two years/);
  });

  it("reads the query leniently: odd values become 'missing', never an exception", () => {
    expect(PeriodQuerySchema.parse({ from: "x".repeat(500), to: "2026-11-01", days: "7" })).toEqual({ from: undefined, to: "2026-11-01" });
  });

  it("recognises presets so the picker can name them", () => {
    expect(presetOf(presetPeriod(7, TODAY), TODAY)?.label).toBe("Last 7 days");
    expect(presetPeriod(7, TODAY)).toMatchObject({ from: "2026-11-18", to: TODAY, days: 7 });
    expect(presetOf({ from: "2026-11-18", to: "2026-11-23" }, TODAY)).toBeNull();
  });
});

describe("the instants a period covers", () => {
  it("runs from the first local midnight to the midnight after the last day, in the shop's zone", () => {
    // Toronto leaves daylight time on 1 November 2026: the period is 7 days and one hour long.
    const { from, to } = periodInstants({ from: "2026-11-01", to: "2026-11-07" }, "America/Toronto");
    expect(from.toISOString()).toBe("2026-11-01T04:00:00.000Z");
    expect(to.toISOString()).toBe("2026-11-08T05:00:00.000Z");
  });
});
