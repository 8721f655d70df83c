import { describe, expect, it } from "vitest";
import { dayWindows, daysFrom, daysOfHours, splitPeriod } from "./rollup-days";

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
});
