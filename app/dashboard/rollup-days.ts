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

/**
 * Today's closed hours, stored like closed days so the dashboard reads live only the hour under
 * way (docs/decisions/010, amendment of 7 Dec 2026). Each is a UTC hour, the first cut at the
 * shop's midnight (30 minutes long in a zone such as India's UTC+5:30), so a marked UTC hour
 * falls in one window. `liveFrom` is where the closed hours end and the live read begins.
 */
export interface TodayHours {
  starts: Date[];
  ends: Date[];
  liveFrom: Date;
}

const hourOf = (at: Date) => Math.floor(at.getTime() / HOUR_MS) * HOUR_MS;

/** Where today's live read begins: the start of the hour under way, or midnight in its first (part) hour. */
export function liveFromOf(todayStart: Date, now: Date): Date {
  return new Date(Math.max(hourOf(now), todayStart.getTime()));
}

export function todayHours(todayStart: Date, now: Date): TodayHours {
  const liveFrom = liveFromOf(todayStart, now);
  const starts: Date[] = [];
  const ends: Date[] = [];
  for (let hour = hourOf(todayStart); hour + HOUR_MS <= liveFrom.getTime(); hour += HOUR_MS) {
    starts.push(new Date(Math.max(hour, todayStart.getTime())));
    ends.push(new Date(hour + HOUR_MS));
  }
  return { starts, ends, liveFrom };
}

/** Whether a marked UTC hour overlaps the window [starts, ends). */
export function hourTouches(hour: Date, starts: Date, ends: Date): boolean {
  return hour.getTime() < ends.getTime() && hour.getTime() + HOUR_MS > starts.getTime();
}
