import { instantToWallTime, wallTimeToInstant } from "../lib/zoned-time";

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

/** The calendar day it is at `at` in `timeZone`. */
export function dayIn(at: Date, timeZone: string): Day {
  const { year, month, day } = instantToWallTime(at, timeZone);
  return fromUtcMidnight(Date.UTC(year, month - 1, day));
}

/**
 * The instant `day` begins in `timeZone`: local midnight, or the first instant after it when a
 * DST change skips midnight (app/lib/zoned-time.ts moves a missing wall time forward).
 */
export function startOfDay(day: Day, timeZone: string): Date {
  const [year, month, date] = day.split("-").map(Number) as [number, number, number];
  return wallTimeToInstant({ year, month, day: date }, timeZone);
}
