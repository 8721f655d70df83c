import type { Day } from "./calendar-days";

/**
 * Labels for the dashboard's charts. Fixed locale and UTC for days, so the server's HTML and
 * the browser's render agree (a Day is a calendar day, not an instant). Pure.
 */
export function formatDay(day: Day, options: { withYear?: boolean } = {}): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString("en-US", {
    timeZone: "UTC",
    month: "short",
    day: "numeric",
    ...(options.withYear ? { year: "numeric" } : {}),
  });
}

/** "Nov 3" for a day bucket, "Week of Nov 3" for a week. */
export function bucketLabel(start: Day, bucket: "day" | "week"): string {
  return bucket === "week" ? `Week of ${formatDay(start)}` : formatDay(start);
}

/** One label per histogram bucket: "Under 50", "50–100", ..., "1000+" (edges from the service). */
export function histogramLabels(edges: number[], format: (n: number) => string = String): string[] {
  return [`Under ${format(edges[0]!)}`, ...edges.slice(0, -1).map((edge, i) => `${format(edge)}–${format(edges[i + 1]!)}`), `${format(edges.at(-1)!)}+`];
}

/** True when every value is zero: the chart says "No data in this period" instead of an empty axis. */
export function allZero(values: readonly number[]): boolean {
  return values.every((v) => v === 0);
}
