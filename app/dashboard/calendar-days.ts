/**
 * Calendar days as "YYYY-MM-DD" strings, and where a day starts in a time zone. Strings, not
 * Dates, so a day means the same thing on the server, in the browser and in the URL. Pure.
 */
export type Day = string;

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** True for a real calendar day in YYYY-MM-DD form ("2026-02-30" is not one). */
export function isCalendarDay(value: string): boolean {
  const match = DAY_PATTERN.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function toUtcMidnight(day: Day): number {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
}

function fromUtcMidnight(ms: number): Day {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(day: Day, days: number): Day {
  return fromUtcMidnight(toUtcMidnight(day) + days * MS_PER_DAY);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: Day, to: Day): number {
  return Math.round((toUtcMidnight(to) - toUtcMidnight(from)) / MS_PER_DAY);
}

/** The IANA zone if this runtime knows it, else UTC (shop.timezone comes from Shopify). */
export function knownTimeZone(zone: string | null | undefined): string {
  if (!zone) return "UTC";
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return zone;
  } catch {
    return "UTC";
  }
}

/** The calendar day it is at `at` in `timeZone`. */
export function dayIn(at: Date, timeZone: string): Day {
  const parts = wallClock(at, timeZone);
  return fromUtcMidnight(Date.UTC(parts.year, parts.month - 1, parts.day));
}

/**
 * The instant `day` begins in `timeZone` (local midnight, or the first instant after it when
 * a DST change skips midnight). Reads the zone's offset at a first guess, then again at the
 * corrected instant, because the offset can change between the two.
 */
export function startOfDay(day: Day, timeZone: string): Date {
  const wallMidnight = toUtcMidnight(day);
  const first = wallMidnight - offsetAt(new Date(wallMidnight), timeZone);
  const second = wallMidnight - offsetAt(new Date(first), timeZone);
  return new Date(second);
}

/** How far `timeZone`'s wall clock is ahead of UTC at `at`, in ms. */
function offsetAt(at: Date, timeZone: string): number {
  const p = wallClock(at, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

// Building an Intl.DateTimeFormat costs far more than formatting with one; the rollups map
// thousands of instants to days (app/dashboard/rollup-days.ts), so keep one per zone.
const clocks = new Map<string, Intl.DateTimeFormat>();

function wallClock(at: Date, timeZone: string) {
  let clock = clocks.get(timeZone);
  if (!clock) {
    clock = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    clocks.set(timeZone, clock);
  }
  const parts = clock.formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)!.value);
  return { year: get("year"), month: get("month"), day: get("day"), hour: get("hour"), minute: get("minute"), second: get("second") };
}
