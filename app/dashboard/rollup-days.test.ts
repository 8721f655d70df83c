import { describe, expect, it } from "vitest";
import { dayWindows, daysFrom, daysOfHours, hourTouches, splitPeriod, todayHours } from "./rollup-days";

describe("rollup days", () => {
  it("reads closed days from the rollups and today live", () => {
    expect(splitPeriod("2026-11-01", "2026-11-30", "2026-11-30")).toEqual({ closed: { first: "2026-11-01", last: "2026-11-29" }, live: "2026-11-30" });
    expect(splitPeriod("2026-11-30", "2026-11-30", "2026-11-30")).toEqual({ closed: null, live: "2026-11-30" });
    expect(splitPeriod("2026-10-01", "2026-10-31", "2026-11-30")).toEqual({ closed: { first: "2026-10-01", last: "2026-10-31" }, live: null });
  });

  it("lists a period's days, none for a reversed one", () => {
    expect(daysFrom("2026-12-30", "2027-01-02")).toEqual(["2026-12-30", "2026-12-31", "2027-01-01", "2027-01-02"]);
    expect(daysFrom("2026-01-02", "2026-01-01")).toEqual([]);
  });

  it("bounds each day at local midnight, 25 hours on the day DST ends and 23 on the day it starts", () => {
    const w = dayWindows(["2026-11-01", "2026-11-02", "2026-03-08"], "America/Toronto");
    expect(w.starts.map((d) => d.toISOString())).toEqual(["2026-11-01T04:00:00.000Z", "2026-11-02T05:00:00.000Z", "2026-03-08T05:00:00.000Z"]);
    expect(w.ends.map((d) => d.toISOString())).toEqual(["2026-11-02T05:00:00.000Z", "2026-11-03T05:00:00.000Z", "2026-03-09T04:00:00.000Z"]);
  });

  it("maps a marked UTC hour to the shop's day, or two days when the zone is off by half an hour", () => {
    expect([...daysOfHours([new Date("2026-11-02T04:00:00Z")], "America/Toronto")]).toEqual(["2026-11-01"]);
    expect([...daysOfHours([new Date("2026-11-02T05:00:00Z")], "America/Toronto")]).toEqual(["2026-11-02"]);
    // Kolkata is UTC+5:30: 18:00–19:00 UTC is 23:30–00:30 local.
    expect([...daysOfHours([new Date("2026-11-02T18:00:00Z")], "Asia/Kolkata")]).toEqual(["2026-11-02", "2026-11-03"]);
  });

  it("lists today's closed UTC hours, the first cut at the shop's midnight, and reads live from the hour under way", () => {
    const iso = (dates: Date[]) => dates.map((d) => d.toISOString().slice(11, 16));
    // Toronto's today starts at 05:00 UTC; at 08:20 UTC three hours have closed.
    const toronto = todayHours(new Date("2026-12-07T05:00:00Z"), new Date("2026-12-07T08:20:00Z"));
    expect(iso(toronto.starts)).toEqual(["05:00", "06:00", "07:00"]);
    expect(iso(toronto.ends)).toEqual(["06:00", "07:00", "08:00"]);
    expect(toronto.liveFrom.toISOString()).toBe("2026-12-07T08:00:00.000Z");
    // Kolkata's today starts at 18:30 UTC: its first window is half an hour.
    const kolkata = todayHours(new Date("2026-12-06T18:30:00Z"), new Date("2026-12-06T20:05:00Z"));
    expect(iso(kolkata.starts)).toEqual(["18:30", "19:00"]);
    expect(iso(kolkata.ends)).toEqual(["19:00", "20:00"]);
    // In the day's first (part) hour nothing has closed; the live read starts at midnight.
    const early = todayHours(new Date("2026-12-06T18:30:00Z"), new Date("2026-12-06T18:45:00Z"));
    expect(early).toEqual({ starts: [], ends: [], liveFrom: new Date("2026-12-06T18:30:00Z") });
  });

  it("finds the windows a marked UTC hour overlaps", () => {
    const [starts, ends] = [new Date("2026-12-06T18:30:00Z"), new Date("2026-12-06T19:00:00Z")];
    expect(hourTouches(new Date("2026-12-06T18:00:00Z"), starts, ends)).toBe(true);
    expect(hourTouches(new Date("2026-12-06T19:00:00Z"), starts, ends)).toBe(false);
    expect(hourTouches(new Date("2026-12-06T17:00:00Z"), starts, ends)).toBe(false);
  });
});
