import type { SqlDriver } from "../db/sql-driver.server";
import type { FlowMetrics } from "../services/engagement-metrics.server";
import type { ActivityPoint, SeriesWindow } from "../services/dashboard-series.server";
import { liftOf, LIFT_FLOWS, type HoldoutLift, type LiftFlow, type LiftRow } from "../services/holdout-lift.server";
import { LIFT_WINDOW_PARAMS, liftDayRows, npsDayRows, revenueDayRows, textCountDayRows, textDayRows } from "./day-aggregates.server";
import { dayWindows, type PeriodSplit } from "./rollup-days";

/**
 * The dashboard's costly aggregates for a period, each one statement: the stored rows of its
 * closed days and of today's closed hours, plus the same SQL run live for the hour under way
 * (app/dashboard/day-aggregates.server.ts), summed. Call refreshRollups for the period with the
 * same `now` first. Each answers as the live query it replaces for the same period
 * (tests/integration/dashboard-rollups.test.ts).
 */
export interface RollupRead {
  sql: SqlDriver;
  shop: string;
  timeZone: string;
  split: PeriodSplit;
  /** Where today's stored hours end and its live read begins (liveFromOf). */
  liveFrom: Date;
}

/**
 * $1..$4: the shop, today and its live window (from liveFrom to its end), or an empty one when
 * the period ends before today; $5..$6 the closed days, or none when the period is today alone;
 * then `hours`, the start of today, whose stored hours run from it to the live window's $3.
 */
function params(r: RollupRead) {
  const today = r.split.live ? dayWindows([r.split.live], r.timeZone) : { days: ["2000-01-01"], starts: [new Date(0)], ends: [new Date(0)] };
  const liveFrom = r.split.live ? r.liveFrom : today.starts[0];
  const closed = r.split.closed ?? { first: "2000-01-02", last: "2000-01-01" };
  return { live: [r.shop, today.days[0], liveFrom, today.ends[0]], closed: [closed.first, closed.last], hours: [today.starts[0]] };
}

/** Today's stored hours of a rollup table: `starts` from $N (today's start) to $3 (liveFrom). */
const storedHours = (n: number) => `shop = $1 AND starts >= $${n}::timestamptz AND starts < $3::timestamptz`;

/** Sent texts by flow and the shopper's stage (EngagementMetrics.byFlowAndStage). */
export async function textsByFlowAndStage(r: RollupRead): Promise<FlowMetrics[]> {
  const p = params(r);
  const rows = await r.sql.query<{ flow: string; stage: FlowMetrics["stage"]; sent: number; delivered: number; clicked: number; converted: number; recovered: string; segments: number }>(
    `SELECT flow, stage, sum(sent)::int AS sent, sum(delivered)::int AS delivered, sum(clicked)::int AS clicked,
            sum(converted)::int AS converted, sum(recovered)::text AS recovered, sum(segments)::int AS segments
     FROM (SELECT flow, stage, sent, delivered, clicked, converted, recovered, segments
           FROM dashboard_text_day WHERE shop = $1 AND day >= $5::date AND day <= $6::date
           UNION ALL
           SELECT flow, stage, sent, delivered, clicked, converted, recovered, segments FROM dashboard_text_hour WHERE ${storedHours(7)}
           UNION ALL
           SELECT flow, stage, sent, delivered, clicked, converted, recovered, segments FROM (${textDayRows("day")}) live) x
     WHERE stage <> ''
     GROUP BY flow, stage
     ORDER BY flow, stage`,
    [...p.live, ...p.closed, ...p.hours],
  );
  return rows.map(({ recovered, ...r }) => ({ ...r, recoveredRevenue: Number(recovered) }));
}

/** Every lift flow's treated and control counts and conversions (flowLifts). */
export async function liftsByFlow(r: RollupRead): Promise<Record<LiftFlow, HoldoutLift>> {
  const p = params(r);
  const rows = await r.sql.query<LiftRow>(
    `SELECT flow, sum(treated)::int AS treated, sum(treated_converted)::int AS treated_converted,
            sum(control)::int AS control, sum(control_converted)::int AS control_converted,
            sum(treated_revenue)::text AS treated_revenue,
            (SELECT max(o.currency) FROM "order" o WHERE o.shop = $1) AS currency
     FROM (SELECT flow, treated, treated_converted, control, control_converted, treated_revenue
           FROM dashboard_lift_day WHERE shop = $1 AND day >= $8::date AND day <= $9::date
           UNION ALL
           SELECT flow, treated, treated_converted, control, control_converted, treated_revenue FROM dashboard_lift_hour WHERE ${storedHours(10)}
           UNION ALL
           SELECT flow, treated, treated_converted, control, control_converted, treated_revenue FROM (${liftDayRows("day")}) live) x
     GROUP BY flow`,
    [...p.live, ...LIFT_WINDOW_PARAMS, ...p.closed, ...p.hours],
  );
  return Object.fromEntries(LIFT_FLOWS.map((flow) => [flow, liftOf(rows.find((row) => row.flow === flow))])) as Record<LiftFlow, HoldoutLift>;
}

/** Texts and credited revenue per day or week, every bucket present (activityOverTime). */
export async function activityByBucket(r: RollupRead, w: Pick<SeriesWindow, "firstDay" | "lastDay" | "bucket">): Promise<ActivityPoint[]> {
  const p = params(r);
  const rows = await r.sql.query<{ start: string; texts: number; recovered: string; other: string }>(
    `WITH buckets AS (
       SELECT b::date AS bucket FROM generate_series(date_trunc($7, $8::date::timestamp), $9::date::timestamp, ('1 ' || $7)::interval) b
     ), texts AS (
       SELECT date_trunc($7, day::timestamp)::date AS bucket, sum(texts)::int AS n
       FROM (SELECT day, texts FROM dashboard_text_day WHERE shop = $1 AND day >= $5::date AND day <= $6::date
             UNION ALL SELECT $2::date, texts FROM dashboard_text_hour WHERE ${storedHours(10)}
             UNION ALL SELECT day, texts FROM (${textCountDayRows("day")}) live) x
       GROUP BY 1
     ), revenue AS (
       SELECT date_trunc($7, day::timestamp)::date AS bucket, sum(recovered) AS recovered, sum(other) AS other
       FROM (SELECT day, recovered, other FROM dashboard_revenue_day WHERE shop = $1 AND day >= $5::date AND day <= $6::date
             UNION ALL SELECT $2::date, recovered, other FROM dashboard_revenue_hour WHERE ${storedHours(10)}
             UNION ALL SELECT day, recovered, other FROM (${revenueDayRows("day")}) live) x
       GROUP BY 1
     )
     SELECT to_char(b.bucket, 'YYYY-MM-DD') AS start, COALESCE(t.n, 0)::int AS texts,
            COALESCE(r.recovered, 0)::text AS recovered, COALESCE(r.other, 0)::text AS other
     FROM buckets b LEFT JOIN texts t ON t.bucket = b.bucket LEFT JOIN revenue r ON r.bucket = b.bucket
     ORDER BY b.bucket`,
    [...p.live, ...p.closed, w.bucket, w.firstDay, w.lastDay, ...p.hours],
  );
  return rows.map((row) => ({ start: row.start, texts: row.texts, recoveredRevenue: Number(row.recovered), otherRevenue: Number(row.other) }));
}

/** NPS answers in the period: responses, promoters and detractors (EngagementMetrics.nps's counts). */
export async function npsCounts(r: RollupRead): Promise<{ responses: number; promoters: number; detractors: number }> {
  const p = params(r);
  const [row] = await r.sql.query<{ responses: number; promoters: number; detractors: number }>(
    `SELECT COALESCE(sum(responses), 0)::int AS responses, COALESCE(sum(promoters), 0)::int AS promoters, COALESCE(sum(detractors), 0)::int AS detractors
     FROM (SELECT responses, promoters, detractors FROM dashboard_nps_day WHERE shop = $1 AND day >= $5::date AND day <= $6::date
           UNION ALL
           SELECT responses, promoters, detractors FROM dashboard_nps_hour WHERE ${storedHours(7)}
           UNION ALL
           SELECT responses, promoters, detractors FROM (${npsDayRows("day")}) live) x`,
    [...p.live, ...p.closed, ...p.hours],
  );
  return row ?? { responses: 0, promoters: 0, detractors: 0 };
}
