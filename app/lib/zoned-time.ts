import { cached } from "./cached";

/**
 * Wall-clock time in an IANA time zone and back: the one place the app turns "8:00 in
 * America/New_York" into an instant and an instant into a zone's date and time. Pure (Intl only).
 *
 * Around a daylight-saving change a wall time can name no instant or two. The rules here are
 * those of Temporal's default `disambiguation: "compatible"` (and of RFC 5545 §3.3.5 for
 * calendar events):
 * - gap (clocks jump forward): a wall time that does not exist moves forward by the length of
 *   the gap, so 02:30 on New York's spring-forward day is 03:30 EDT;
 * - overlap (clocks fall back): a wall time that happens twice is the earlier instant, so
 *   01:30 on New York's fall-back day is 01:30 EDT, not EST.
 */
export interface WallTime {
  year: number;
  /** 1 to 12. */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const MS_PER_DAY = 86_400_000;

// Building an Intl.DateTimeFormat costs far more than formatting with one (it showed in the
// dispatcher's profile, and the dashboard rollups map thousands of instants to days).
const clocks = new Map<string, Intl.DateTimeFormat>();

function clockOf(timeZone: string): Intl.DateTimeFormat {
  return cached(
    clocks,
    timeZone,
    () =>
      new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
      }),
  );
}

/** The date and time `timeZone`'s clocks show at `at` (to the second). */
export function instantToWallTime(at: Date, timeZone: string): WallTime {
  const wall = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of clockOf(timeZone).formatToParts(at)) {
    if (part.type in wall) wall[part.type as keyof WallTime] = Number(part.value);
  }
  return wall;
}

/** The wall time as if it were UTC, in ms: the arithmetic both directions start from. */
function wallAsUtc(wall: Pick<WallTime, "year" | "month" | "day"> & Partial<WallTime>): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour ?? 0, wall.minute ?? 0, wall.second ?? 0);
}

/** How far `timeZone`'s wall clock is ahead of UTC at `at`, in ms (negative west of Greenwich). */
export function zoneOffsetAt(at: Date, timeZone: string): number {
  return wallAsUtc(instantToWallTime(at, timeZone)) - Math.floor(at.getTime() / 1000) * 1000;
}

/**
 * The instant `timeZone`'s clocks show `wall` (missing fields are 0; out-of-range fields roll
 * over as in Date.UTC, so day 32 is the next month's 1st). Gap: forward; overlap: the earlier.
 */
export function wallTimeToInstant(wall: Pick<WallTime, "year" | "month" | "day"> & Partial<WallTime>, timeZone: string): Date {
  const asUtc = wallAsUtc(wall);
  // The offsets a day either side bound the ones that can apply (no zone changes twice in a day).
  const before = zoneOffsetAt(new Date(asUtc - MS_PER_DAY), timeZone);
  const after = zoneOffsetAt(new Date(asUtc + MS_PER_DAY), timeZone);
  if (before === after) return new Date(asUtc - before);
  const fits = (offset: number) => zoneOffsetAt(new Date(asUtc - offset), timeZone) === offset;
  const earlier = Math.min(asUtc - before, asUtc - after);
  const later = Math.max(asUtc - before, asUtc - after);
  if (fits(before) && fits(after)) return new Date(earlier); // overlap
  if (fits(before)) return new Date(asUtc - before);
  if (fits(after)) return new Date(asUtc - after);
  // Gap: read with the offset from before the change, the wall time lands past it, moved
  // forward by the gap's length.
  return new Date(later);
}

/** Minutes past local midnight at `at` in `timeZone` (0 to 1439). */
export function minutesIntoDay(at: Date, timeZone: string): number {
  const wall = instantToWallTime(at, timeZone);
  return wall.hour * 60 + wall.minute;
}

/**
 * The instant it is `minutes` past midnight in `timeZone`, `days` calendar days after the local
 * day `at` falls on (0: that same day).
 */
export function wallTimeOnDay(at: Date, timeZone: string, days: number, minutes: number): Date {
  const { year, month, day } = instantToWallTime(at, timeZone);
  return wallTimeToInstant({ year, month, day: day + days, minute: minutes }, timeZone);
}

/** The IANA zone if this runtime knows it, else UTC (shop.timezone comes from Shopify). */
export function knownTimeZone(zone: string | null | undefined): string {
  if (!zone) return "UTC";
  try {
    clockOf(zone);
    return zone;
  } catch {
    return "UTC";
  }
}
