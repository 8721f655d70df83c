import { describe, expect, it } from "vitest";
import { estimateCampaign } from "./estimate";

describe("estimateCampaign", () => {
  it("prices the texts left after smart sending and the control group, per segment", () => {
    expect(estimateCampaign({ sendable: 1000, recentlyTexted: 100 }, 10, 2, 0.0083)).toEqual({ texts: 810, control: 90, segments: 1620, cost: 13.45 });
  });

  it("costs nothing when nobody can be texted", () => {
    expect(estimateCampaign({ sendable: 0, recentlyTexted: 0 }, 10, 1, 0.0083)).toEqual({ texts: 0, control: 0, segments: 0, cost: 0 });
  });
});
