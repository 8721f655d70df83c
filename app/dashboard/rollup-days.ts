import { addDays, dayIn, daysBetween, startOfDay, type Day } from "./calendar-days";

/**
 * Which days of a period the dashboard reads from the rollups and which it reads live, and the
 * instants each day covers in the shop's zone. Pure (docs/decisions/010-dashboard-queries.md,
 * amendment of 6 Dec 2026).
 */

/** Days as the SQL of app/dashboard/rollups.server.ts takes them: three parallel arrays. */
export interface DayWindows {
  days: Day[];
  /** The instant each day starts (inclusive) and ends (exclusive). */
  starts: Date[];
  ends: Date[];
}

/**
 * The instants each day covers: local midnight to the next, so a day is 23 or 25 hours long
 * across a DST change, exactly as periodInstants bounds a period.
 */
export function dayWindows(days: Day[], timeZone: string): DayWindows {
  return { days, starts: days.map((d) => startOfDay(d, timeZone)), ends: days.map((d) => startOfDay(addDays(d, 1), timeZone)) };
}

/** Every day from `first` to `last`, both included (none when `last` is before `first`). */
export function daysFrom(first: Day, last: Day): Day[] {
  return Array.from({ length: Math.max(0, daysBetween(first, last) + 1) }, (_, i) => addDays(first, i));
}

export interface PeriodSplit {
  /** Closed days (before today) read from the rollups; null when the period has none. */
  closed: { first: Day; last: Day } | null;
  /** Today, read live from the raw rows, when the period includes it. */
  live: Day | null;
}

/** A period of the shop's days ends today at the latest (resolvePeriod cuts it there). */
export function splitPeriod(first: Day, last: Day, today: Day): PeriodSplit {
  const lastClosed = last < today ? last : addDays(today, -1);
  return { closed: first <= lastClosed ? { first, last: lastClosed } : null, live: first <= today && today <= last ? today : null };
}

const HOUR_MS = 3_600_000;

/**
 * The shop's days a marked UTC hour falls on: the day of its first and of its last instant (two
 * days in zones whose offset is not a whole number of hours, such as India's UTC+5:30).
 */
export function daysOfHours(hours: Date[], timeZone: string): Set<Day> {
  const days = new Set<Day>();
  for (const hour of hours) {
    days.add(dayIn(hour, timeZone));
    days.add(dayIn(new Date(hour.getTime() + HOUR_MS - 1), timeZone));
  }
  return days;
}
