import { describe, expect, it } from "vitest";
import { formatMoney } from "../lib/format";
import { allZero, bucketLabel, formatDay, histogramLabels } from "./chart-labels";

describe("chart labels", () => {
  it("names a calendar day the same wherever it is rendered", () => {
    expect(formatDay("2026-11-01")).toBe("Nov 1");
    expect(formatDay("2026-01-01", { withYear: true })).toBe("Jan 1, 2026");
    expect(bucketLabel("2026-11-02", "week")).toBe("Week of Nov 2");
    expect(bucketLabel("2026-11-02", "day")).toBe("Nov 2");
  });

  it("labels histogram buckets from their edges, open at both ends", () => {
    expect(histogramLabels([30, 60, 90])).toEqual(["Under 30", "30–60", "60–90", "90+"]);
    expect(histogramLabels([50, 100], (n) => formatMoney(n, "CAD", { digits: 0 }))).toEqual(["Under CA$50", "CA$50–CA$100", "CA$100+"]);
  });

  it("spots a series with nothing in it", () => {
    expect(allZero([0, 0, 0])).toBe(true);
    expect(allZero([])).toBe(true);
    expect(allZero([0, 1])).toBe(false);
  });
});
