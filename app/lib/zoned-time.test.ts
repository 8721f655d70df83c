import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { instantToWallTime, knownTimeZone, minutesIntoDay, wallTimeOnDay, wallTimeToInstant, zoneOffsetAt, type WallTime } from "./zoned-time";

const ZONES = ["America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"] as const;

/** "2026-03-08T02:30" as a WallTime. */
function wall(text: string): WallTime {
  const [date, time] = text.split("T") as [string, string];
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const [hour, minute] = time.split(":").map(Number) as [number, number];
  return { year, month, day, hour, minute, second: 0 };
}

describe("wallTimeToInstant", () => {
  // Each row: zone, wall time, the instant it names. Transitions of 2026 (IANA tzdata):
  // New York: 8 Mar 02:00 EST→03:00 EDT, 1 Nov 02:00 EDT→01:00 EST.
  // London: 29 Mar 01:00 GMT→02:00 BST, 25 Oct 02:00 BST→01:00 GMT.
  // Lord Howe (a 30-minute DST): 5 Apr 02:00 (+11)→01:30 (+10:30), 4 Oct 02:00 (+10:30)→02:30 (+11).
  // Kolkata: +05:30 all year.
  it.each([
    ["America/New_York", "2026-03-08T01:59", "2026-03-08T06:59:00.000Z", "just before the gap"],
    ["America/New_York", "2026-03-08T02:30", "2026-03-08T07:30:00.000Z", "in the gap: forward to 03:30 EDT"],
    ["America/New_York", "2026-03-08T03:00", "2026-03-08T07:00:00.000Z", "just after the gap"],
    ["America/New_York", "2026-11-01T00:59", "2026-11-01T04:59:00.000Z", "before the overlap"],
    ["America/New_York", "2026-11-01T01:30", "2026-11-01T05:30:00.000Z", "in the overlap: the earlier, EDT"],
    ["America/New_York", "2026-11-01T02:00", "2026-11-01T07:00:00.000Z", "after the overlap"],
    ["Europe/London", "2026-03-29T01:30", "2026-03-29T01:30:00.000Z", "in the gap: forward to 02:30 BST"],
    ["Europe/London", "2026-03-29T02:00", "2026-03-29T01:00:00.000Z", "just after the gap"],
    ["Europe/London", "2026-10-25T01:30", "2026-10-25T00:30:00.000Z", "in the overlap: the earlier, BST"],
    ["Europe/London", "2026-10-25T02:00", "2026-10-25T02:00:00.000Z", "after the overlap"],
    ["Australia/Lord_Howe", "2026-10-04T02:15", "2026-10-03T15:45:00.000Z", "in the 30-minute gap: forward to 02:45"],
    ["Australia/Lord_Howe", "2026-10-04T02:30", "2026-10-03T15:30:00.000Z", "just after the gap"],
    ["Australia/Lord_Howe", "2026-04-05T01:45", "2026-04-04T14:45:00.000Z", "in the 30-minute overlap: the earlier, +11"],
    ["Australia/Lord_Howe", "2026-04-05T02:00", "2026-04-04T15:30:00.000Z", "after the overlap"],
    ["Asia/Kolkata", "2026-03-08T02:30", "2026-03-07T21:00:00.000Z", "no DST, half-hour offset"],
    ["UTC", "2026-03-08T02:30", "2026-03-08T02:30:00.000Z", "UTC itself"],
  ])("%s %s is %s (%s)", (zone, text, instant) => {
    expect(wallTimeToInstant(wall(text), zone).toISOString()).toBe(instant);
  });

  it("rolls out-of-range fields over like Date.UTC", () => {
    expect(wallTimeToInstant({ year: 2026, month: 12, day: 32, minute: 8 * 60 }, "America/New_York").toISOString()).toBe("2027-01-01T13:00:00.000Z");
  });
});

describe("instantToWallTime", () => {
  it("reads a zone's clock on both sides of a change", () => {
    expect(instantToWallTime(new Date("2026-11-01T05:30:00Z"), "America/New_York")).toEqual(wall("2026-11-01T01:30"));
    expect(instantToWallTime(new Date("2026-11-01T06:30:00Z"), "America/New_York")).toEqual(wall("2026-11-01T01:30"));
    expect(instantToWallTime(new Date("2026-10-03T15:30:00Z"), "Australia/Lord_Howe")).toEqual(wall("2026-10-04T02:30"));
    expect(minutesIntoDay(new Date("2026-03-07T21:00:00Z"), "Asia/Kolkata")).toBe(2 * 60 + 30);
  });

  it("knows each zone's offset", () => {
    expect(zoneOffsetAt(new Date("2026-07-01T00:00:00Z"), "Australia/Lord_Howe")).toBe(10.5 * 3_600_000);
    expect(zoneOffsetAt(new Date("2026-12-01T00:00:00Z"), "Australia/Lord_Howe")).toBe(11 * 3_600_000);
    expect(zoneOffsetAt(new Date("2026-07-01T00:00:00Z"), "America/New_York")).toBe(-4 * 3_600_000);
  });
});

describe("round trips across the DST changes of 2020-2030", () => {
  const instant = fc.integer({ min: Date.UTC(2020, 0, 1) / 1000, max: Date.UTC(2030, 0, 1) / 1000 }).map((s) => new Date(s * 1000));
  const zone = fc.constantFrom(...ZONES);

  it("an instant's wall time leads back to it, or to its earlier twin in an overlap", () => {
    fc.assert(
      fc.property(instant, zone, (at, tz) => {
        const back = wallTimeToInstant(instantToWallTime(at, tz), tz);
        expect(instantToWallTime(back, tz)).toEqual(instantToWallTime(at, tz));
        const behind = at.getTime() - back.getTime();
        expect(behind === 0 || (behind > 0 && behind <= 3_600_000)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("a wall time names an instant showing it, or one a gap's length later", () => {
    const wallTime = fc.record({
      year: fc.integer({ min: 2020, max: 2029 }),
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 28 }),
      hour: fc.integer({ min: 0, max: 23 }),
      minute: fc.integer({ min: 0, max: 59 }),
      second: fc.constant(0),
    });
    fc.assert(
      fc.property(wallTime, zone, (w, tz) => {
        const at = wallTimeToInstant(w, tz);
        const shown = Date.UTC(...toUtcArgs(instantToWallTime(at, tz)));
        const asked = Date.UTC(...toUtcArgs(w));
        const ahead = shown - asked;
        expect(ahead === 0 || (ahead > 0 && ahead <= 3_600_000 && zoneOffsetAt(at, tz) > zoneOffsetAt(new Date(at.getTime() - ahead - 1), tz))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

function toUtcArgs(w: WallTime): [number, number, number, number, number, number] {
  return [w.year, w.month - 1, w.day, w.hour, w.minute, w.second];
}

describe("wallTimeOnDay", () => {
  it("finds a time on the zone's day, not UTC's", () => {
    // 02:00 UTC on the 16th is still the 15th in New York.
    expect(wallTimeOnDay(new Date("2026-07-16T02:00:00Z"), "America/New_York", 0, 8 * 60).toISOString()).toBe("2026-07-15T12:00:00.000Z");
    expect(wallTimeOnDay(new Date("2026-03-07T20:00:00Z"), "America/New_York", 1, 8 * 60).toISOString()).toBe("2026-03-08T12:00:00.000Z");
  });
});

describe("knownTimeZone", () => {
  it("falls back to UTC for a zone this runtime doesn't know", () => {
    expect(knownTimeZone("America/Toronto")).toBe("America/Toronto");
    expect(knownTimeZone("Mars/Olympus_Mons")).toBe("UTC");
    expect(knownTimeZone(null)).toBe("UTC");
  });
});
