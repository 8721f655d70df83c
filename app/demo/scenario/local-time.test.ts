import { describe, expect, it } from "vitest";
import { wallTime } from "./local-time";

describe("wallTime", () => {
  it("finds 8am in New York on the same New York day, in summer and in winter", () => {
    expect(wallTime(new Date("2026-07-15T18:00:00Z"), 8, "America/New_York").toISOString()).toBe("2026-07-15T12:00:00.000Z");
    expect(wallTime(new Date("2026-01-15T18:00:00Z"), 8, "America/New_York").toISOString()).toBe("2026-01-15T13:00:00.000Z");
  });

  it("uses the zone's calendar day, not UTC's", () => {
    // 02:00 UTC on the 16th is still the evening of the 15th in New York.
    expect(wallTime(new Date("2026-07-16T02:00:00Z"), 8, "America/New_York").toISOString()).toBe("2026-07-15T12:00:00.000Z");
  });

  it("handles zones ahead of UTC and UTC itself", () => {
    expect(wallTime(new Date("2026-07-15T18:00:00Z"), 8, "Asia/Tokyo").toISOString()).toBe("2026-07-15T23:00:00.000Z");
    expect(wallTime(new Date("2026-07-15T18:00:00Z"), 8, "UTC").toISOString()).toBe("2026-07-15T08:00:00.000Z");
  });
});
