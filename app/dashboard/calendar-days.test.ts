import { describe, expect, it } from "vitest";
import { addDays, dayIn, daysBetween, isCalendarDay, startOfDay } from "./calendar-days";

describe("calendar days", () => {
  it("accepts real YYYY-MM-DD days only", () => {
    expect(isCalendarDay("2028-02-29")).toBe(true);
    expect(isCalendarDay("2026-02-29")).toBe(false);
    expect(isCalendarDay("2026-13-01")).toBe(false);
    expect(isCalendarDay("2026-1-01")).toBe(false);
    expect(isCalendarDay("2026-01-01T00:00")).toBe(false);
  });

  it("counts and steps across month, year and DST boundaries", () => {
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(addDays("2026-03-07", 2)).toBe("2026-03-09");
    expect(daysBetween("2026-01-01", "2027-01-01")).toBe(365);
    expect(daysBetween("2026-01-10", "2026-01-01")).toBe(-9);
  });

  it("knows which day it is in the shop's zone", () => {
    const at = new Date("2026-11-24T03:30:00Z");
    expect(dayIn(at, "UTC")).toBe("2026-11-24");
    expect(dayIn(at, "America/Toronto")).toBe("2026-11-23");
    expect(dayIn(at, "Asia/Tokyo")).toBe("2026-11-24");
  });

  it("finds the instant a day starts in a zone, on both sides of a DST change", () => {
    expect(startOfDay("2026-11-24", "UTC").toISOString()).toBe("2026-11-24T00:00:00.000Z");
    // New York: EST (-5) until 8 March 2026 at 2am, EDT (-4) after.
    expect(startOfDay("2026-03-08", "America/New_York").toISOString()).toBe("2026-03-08T05:00:00.000Z");
    expect(startOfDay("2026-03-09", "America/New_York").toISOString()).toBe("2026-03-09T04:00:00.000Z");
    expect(startOfDay("2026-11-02", "America/New_York").toISOString()).toBe("2026-11-02T05:00:00.000Z");
    expect(startOfDay("2026-07-01", "Asia/Kolkata").toISOString()).toBe("2026-06-30T18:30:00.000Z");
  });
});
