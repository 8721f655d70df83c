import { CONVERSION_DAYS, LIFT_FLOWS } from "../services/holdout-lift.server";

/**
 * The dashboard's costly aggregates, per day of the shop: the same SQL as the live queries
 * (engagement-metrics.server.ts texts by flow, holdout-lift.server.ts FLOW_LIFT_SQL,
 * dashboard-series.server.ts revenue), grouped by the windows passed in instead of filtered by
 * one range: each row carries its window's day and start (`day`, `starts`). A window is a day,
 * or one of today's closed hours, or today's hour under way (a narrower window of one day).
 * app/dashboard/refresh-rollups.server.ts stores their rows for closed days and today's closed
 * hours; read-rollups.server.ts runs them for the hour under way and adds them to the stored
 * ones. Each counts rows additively (no distinct counts across windows), so a period's figure
 * is the sum of its windows'. Parameters: $1 shop, then the windows (DayScope).
 */
/**
 * "days": many days ($2..$4 arrays, a refresh of many), whose SQL builds each shared set once (the
 * clicked texts, the orders per checkout) and joins it. "day": one window of a day ($2 the day,
 * $3..$4 its bounds as scalars), whose planner sees the narrow range and probes indexes per text
 * instead of reading whole tables (100k shoppers and checkouts for the day's 2k texts).
 */
export type DayScope = "days" | "day";

function windowOf(scope: DayScope) {
  return scope === "days"
    ? { from: `unnest($2::date[], $3::timestamptz[], $4::timestamptz[]) AS d(day, starts, ends)`, starts: "d.starts", ends: "d.ends" }
    : { from: `(SELECT $2::date AS day, $3::timestamptz AS starts) d`, starts: "$3::timestamptz", ends: "$4::timestamptz" };
}

/**
 * Sent texts by day, flow and the shopper's current stage ('' for a text whose shopper is gone:
 * it counts in the activity chart, which doesn't join shoppers, but not by stage). `texts`
 * counts each text once; the other counts are per credit, as the live query's join gives them.
 * Clicked: a text with a link clicked at least once (the hashed set of the shop's clicked
 * links for many days; a probe of short_link(message_id, target) per text for today).
 */
export function textDayRows(scope: DayScope): string {
  const w = windowOf(scope);
  const clicked =
    scope === "days" ? `m.id IN (SELECT message_id FROM short_link WHERE shop = $1 AND clicks > 0)` : `EXISTS (SELECT 1 FROM short_link l WHERE l.message_id = m.id AND l.shop = $1 AND l.clicks > 0)`;
  return `
  SELECT d.day, d.starts, m.flow, COALESCE(s.stage, '') AS stage,
         count(DISTINCT m.id)::int AS texts,
         count(*)::int AS sent,
         count(*) FILTER (WHERE m.delivery_status = 'delivered')::int AS delivered,
         count(*) FILTER (WHERE ${clicked})::int AS clicked,
         count(a.id)::int AS converted,
         COALESCE(sum(a.revenue) FILTER (WHERE a.recovered), 0) AS recovered,
         COALESCE(sum(m.segments), 0)::int AS segments
  FROM ${w.from}
  JOIN scheduled_message m ON m.shop = $1 AND m.status = 'sent' AND m.sent_at >= ${w.starts} AND m.sent_at < ${w.ends}
  LEFT JOIN shopper s ON s.id = m.shopper_id AND s.shop = m.shop
  LEFT JOIN attribution a ON a.message_id = m.id AND a.shop = m.shop
  GROUP BY d.day, d.starts, m.flow, COALESCE(s.stage, '')`;
}

/** Revenue credited to texts by the day the order was placed. */
export function revenueDayRows(scope: DayScope): string {
  const w = windowOf(scope);
  return `
  SELECT d.day, d.starts,
         COALESCE(sum(a.revenue) FILTER (WHERE a.recovered), 0) AS recovered,
         COALESCE(sum(a.revenue) FILTER (WHERE NOT a.recovered), 0) AS other
  FROM ${w.from}
  JOIN "order" o ON o.shop = $1 AND o.placed_at >= ${w.starts} AND o.placed_at < ${w.ends}
  JOIN attribution a ON a.order_id = o.id AND a.shop = o.shop
  GROUP BY d.day, d.starts`;
}

/**
 * Sent texts by day, each once: the activity chart's count of today's texts, from the index
 * scheduled_message(shop, status, sent_at, …) alone. The same figure as the sum of
 * textDayRows' `texts`, without the shoppers, links and credits that only texts by flow needs.
 */
export function textCountDayRows(scope: DayScope): string {
  const w = windowOf(scope);
  return `
  SELECT d.day, d.starts, count(*)::int AS texts
  FROM ${w.from}
  JOIN scheduled_message m ON m.shop = $1 AND m.status = 'sent' AND m.sent_at >= ${w.starts} AND m.sent_at < ${w.ends}
  GROUP BY d.day, d.starts`;
}

/**
 * NPS answers by the day they came in: responses, promoters (9–10) and detractors (0–6), as
 * engagement-metrics.server.ts counts them for a period (index journey_event(shop, type,
 * occurred_at)). Migration 0015's triggers mark an answer's hour.
 */
export function npsDayRows(scope: DayScope): string {
  const w = windowOf(scope);
  return `
  SELECT d.day, d.starts, count(*)::int AS responses,
         count(*) FILTER (WHERE (e.data->>'score')::int >= 9)::int AS promoters,
         count(*) FILTER (WHERE (e.data->>'score')::int <= 6)::int AS detractors
  FROM ${w.from}
  JOIN journey_event e ON e.shop = $1 AND e.type = 'nps' AND e.occurred_at >= ${w.starts} AND e.occurred_at < ${w.ends}
  GROUP BY d.day, d.starts`;
}

/**
 * Each flow's eligible first texts by the day they fell due: FLOW_LIFT_SQL per day ($5 cart
 * conversion days, $6/$7 the other flows and their days). A text's conversion window runs past
 * its day, which is why an order marks the days of the texts it can convert (migration 0013).
 * A cart text's checkout total: the shop's orders summed per checkout once for many days, a
 * probe of order(shop, checkout_token, total_price) per text for one day.
 */
export function liftDayRows(scope: DayScope): string {
  const w = windowOf(scope);
  const checkoutTotal =
    scope === "days"
      ? `LEFT JOIN (SELECT o.checkout_token AS token, sum(o.total_price) AS total
               FROM "order" o WHERE o.shop = $1 AND o.checkout_token IS NOT NULL
               GROUP BY o.checkout_token) t ON t.token = m.checkout_token`
      : `LEFT JOIN LATERAL (SELECT sum(o.total_price) AS total FROM "order" o WHERE o.shop = $1 AND o.checkout_token = m.checkout_token) t ON true`;
  // checkout(shop, token) is unique, so LIMIT 1 changes no result; it keeps the subquery a
  // probe per text, where a plain join let the planner hash all 100k checkouts for today's few
  // hundred texts (docs/benchmarks.md, 7 Dec 2026).
  const checkout =
    scope === "days"
      ? `JOIN checkout c ON c.shop = m.shop AND c.token = m.checkout_token`
      : `JOIN LATERAL (SELECT c.completed_at FROM checkout c WHERE c.shop = m.shop AND c.token = m.checkout_token LIMIT 1) c ON true`;
  // The shopper's orders in each text's window: joined and grouped per text for many days, an
  // aggregate probing order(shop, shopper_id, placed_at) per text for one day.
  const orderWindow = `o.shop = $1 AND o.shopper_id = m.shopper_id AND o.placed_at > m.due_at AND o.placed_at <= m.due_at + make_interval(days => w.days)`;
  const ordersAfter =
    scope === "days"
      ? { select: `count(o.id) > 0 AS converted, sum(o.total_price) AS total`, join: `LEFT JOIN "order" o ON ${orderWindow}`, group: `GROUP BY d.day, d.starts, m.id, m.flow, m.status` }
      : { select: `o.converted, o.total`, join: `CROSS JOIN LATERAL (SELECT count(*) > 0 AS converted, sum(o.total_price) AS total FROM "order" o WHERE ${orderWindow}) o`, group: `` };
  return `
  SELECT day, starts, flow,
         count(*) FILTER (WHERE status = 'sent')::int AS treated,
         count(*) FILTER (WHERE status = 'sent' AND converted)::int AS treated_converted,
         count(*) FILTER (WHERE status = 'skipped')::int AS control,
         count(*) FILTER (WHERE status = 'skipped' AND converted)::int AS control_converted,
         sum(total) FILTER (WHERE status = 'sent' AND converted) AS treated_revenue
  FROM (
    SELECT d.day, d.starts, 'cart_recovery' AS flow, m.status,
           c.completed_at IS NOT NULL AND c.completed_at <= m.due_at + make_interval(days => $5) AS converted,
           t.total
    FROM ${w.from}
    JOIN scheduled_message m ON m.shop = $1 AND m.flow = 'cart_recovery' AND m.step = 1 AND m.due_at >= ${w.starts} AND m.due_at < ${w.ends}
    ${checkout}
    ${checkoutTotal}
    WHERE m.status = 'sent' OR (m.status = 'skipped' AND m.reason = 'holdout')
    UNION ALL
    SELECT d.day, d.starts, m.flow, m.status, ${ordersAfter.select}
    FROM ${w.from}
    JOIN scheduled_message m ON m.shop = $1 AND m.flow = ANY($6::text[]) AND m.step = 1 AND m.due_at >= ${w.starts} AND m.due_at < ${w.ends}
    JOIN unnest($6::text[], $7::int[]) AS w(flow, days) ON w.flow = m.flow
    ${ordersAfter.join}
    WHERE m.status = 'sent' OR (m.status = 'skipped' AND m.reason = 'holdout')
    ${ordersAfter.group}
  ) eligible
  GROUP BY day, starts, flow`;
}

const OTHER_FLOWS = LIFT_FLOWS.filter((f) => f !== "cart_recovery");

/** $5..$7 of liftDayRows. */
export const LIFT_WINDOW_PARAMS = [CONVERSION_DAYS.cart_recovery, OTHER_FLOWS, OTHER_FLOWS.map((f) => CONVERSION_DAYS[f])] as const;
