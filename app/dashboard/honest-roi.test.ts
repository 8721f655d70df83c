import { describe, expect, it } from "vitest";
import { honestRoi } from "./honest-roi";

describe("honestRoi", () => {
  it("divides incremental revenue by the cost of the same flows only", () => {
    // Cart: 120 incremental over 1,000 segments; welcome: 30 over 500; win-back unmeasured
    // with 10,000 segments, which must not enter the cost.
    const roi = honestRoi(
      [
        { flow: "cart_recovery", incrementalRevenue: 120, segments: 1_000 },
        { flow: "welcome", incrementalRevenue: 30, segments: 500 },
        { flow: "win_back", incrementalRevenue: null, segments: 10_000 },
      ],
      0.01,
    );
    expect(roi).toEqual({ flows: ["cart_recovery", "welcome"], incrementalRevenue: 150, cost: 15, roi: 10 });
  });

  it("keeps a negative lift negative rather than dropping it", () => {
    const roi = honestRoi(
      [
        { flow: "cart_recovery", incrementalRevenue: 50, segments: 1_000 },
        { flow: "post_purchase", incrementalRevenue: -20, segments: 1_000 },
      ],
      0.01,
    );
    expect(roi.incrementalRevenue).toBe(30);
    expect(roi.roi).toBeCloseTo(1.5, 10);
  });

  it("has no ROI without a measured flow or without cost", () => {
    expect(honestRoi([{ flow: "cart_recovery", incrementalRevenue: null, segments: 100 }], 0.01).roi).toBeNull();
    expect(honestRoi([{ flow: "cart_recovery", incrementalRevenue: 10, segments: 100 }], 0).roi).toBeNull();
    expect(honestRoi([], 0.01)).toEqual({ flows: [], incrementalRevenue: 0, cost: 0, roi: null });
  });
});
