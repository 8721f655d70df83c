import { z } from "zod";
import { addDays, daysBetween, isCalendarDay, startOfDay, type Day } from "./calendar-days";

/** The dashboard's reporting period: whole days in the shop's time zone, both ends included. */
export interface Period {
  from: Day;
  to: Day;
  days: number;
  /** How the time series are grouped: by day, or by (Monday-start) week for long periods. */
  bucket: "day" | "week";
}

/** Two years: long enough for year-over-year, short enough to keep the aggregates cheap. */
export const MAX_PERIOD_DAYS = 731;
/** Up to about a quarter the series are daily; past that, weekly (at most 105 points). */
const MAX_DAILY_BUCKETS = 92;
export const DEFAULT_PRESET_DAYS = 30;

// Like Shopify admin's presets, but ending today rather than yesterday: texts go out all day,
// and a merchant checking on today's sends expects to see them.
export const PRESETS = [7, 30, 90, 365].map((days) => ({ days, label: `Last ${days} days` }));

/** The raw query string values; anything else about them is checked by resolvePeriod. */
export const PeriodQuerySchema = z.object({
  from: z.string().max(32).optional().catch(undefined),
  to: z.string().max(32).optional().catch(undefined),
});
export type PeriodQuery = z.infer<typeof PeriodQuerySchema>;

const DaySchema = z.string().refine(isCalendarDay);

export function periodOf(from: Day, to: Day): Period {
  const days = daysBetween(from, to) + 1;
  return { from, to, days, bucket: days <= MAX_DAILY_BUCKETS ? "day" : "week" };
}

/** The `days` days ending today. */
export function presetPeriod(days: number, today: Day): Period {
  return periodOf(addDays(today, -(days - 1)), today);
}

/** The preset a period is, if any (to label the picker's button). */
export function presetOf(period: Pick<Period, "from" | "to">, today: Day): (typeof PRESETS)[number] | null {
  return PRESETS.find((p) => period.to === today && period.from === addDays(today, -(p.days - 1))) ?? null;
}

/**
 * The period to show for `?from=&to=`. No dates: the last 30 days. Dates that can't be read,
 * or a start after the end: the last 30 days, with a notice saying why. An end in the future
 * is cut to today, and a period longer than two years keeps its end and is cut to two years;
 * both say so. Never throws: a bad address must not cost the merchant the page.
 */
export function resolvePeriod(query: PeriodQuery, today: Day): { period: Period; notice: string | null } {
  const fallback = (notice: string | null) => ({ period: presetPeriod(DEFAULT_PRESET_DAYS, today), notice });
  if (query.from === undefined && query.to === undefined) return fallback(null);
  const from = DaySchema.safeParse(query.from);
  const to = DaySchema.safeParse(query.to);
  if (!from.success || !to.success) return fallback("The dates in the address couldn't be read, so this shows the last 30 days.");
  if (from.data > to.data) return fallback("The start date was after the end date, so this shows the last 30 days.");
  if (from.data > today) return fallback("That period hasn't started yet, so this shows the last 30 days.");
  const notices: string[] = [];
  let end = to.data;
  if (end > today) {
    end = today;
    notices.push("The period is cut off at today.");
  }
  let start = from.data;
  if (daysBetween(start, end) + 1 > MAX_PERIOD_DAYS) {
    start = addDays(end, -(MAX_PERIOD_DAYS - 1));
    notices.push("Periods can be at most two years, so this shows the two years up to the end date.");
  }
  return { period: periodOf(start, end), notice: notices.length > 0 ? notices.join(" ") : null };
}

/** The instants a period covers in `timeZone`: from its first midnight to the one after its last day. */
export function periodInstants(period: Pick<Period, "from" | "to">, timeZone: string): { from: Date; to: Date } {
  return { from: startOfDay(period.from, timeZone), to: startOfDay(addDays(period.to, 1), timeZone) };
}
