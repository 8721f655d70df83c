import { CONVERSION_DAYS, LIFT_FLOWS } from "../services/holdout-lift.server";

/**
 * The dashboard's costly aggregates, per day of the shop: the same SQL as the live queries
 * (engagement-metrics.server.ts texts by flow, holdout-lift.server.ts FLOW_LIFT_SQL,
 * dashboard-series.server.ts revenue), grouped by the day windows passed in instead of
 * filtered by one range. app/dashboard/refresh-rollups.server.ts stores their rows for closed
 * days; read-rollups.server.ts runs them for today and adds them to the stored ones. Each
 * counts rows additively (no distinct counts across days), so a period's figure is the sum of
 * its days'. Parameters: $1 shop, $2 days (date[]), $3 their starts and $4 their ends
 * (timestamptz[], app/dashboard/rollup-days.ts dayWindows).
 */
const DAYS = `unnest($2::date[], $3::timestamptz[], $4::timestamptz[]) AS d(day, starts, ends)`;

/**
 * Sent texts by day, flow and the shopper's current stage ('' for a text whose shopper is gone:
 * it counts in the activity chart, which doesn't join shoppers, but not by stage). `texts`
 * counts each text once; the other counts are per credit, as the live query's join gives them.
 */
export const TEXT_DAY_ROWS = `
  SELECT d.day, m.flow, COALESCE(s.stage, '') AS stage,
         count(DISTINCT m.id)::int AS texts,
         count(*)::int AS sent,
         count(*) FILTER (WHERE m.delivery_status = 'delivered')::int AS delivered,
         count(*) FILTER (WHERE m.id IN (SELECT message_id FROM short_link WHERE shop = $1 AND clicks > 0))::int AS clicked,
         count(a.id)::int AS converted,
         COALESCE(sum(a.revenue) FILTER (WHERE a.recovered), 0) AS recovered,
         COALESCE(sum(m.segments), 0)::int AS segments
  FROM ${DAYS}
  JOIN scheduled_message m ON m.shop = $1 AND m.status = 'sent' AND m.sent_at >= d.starts AND m.sent_at < d.ends
  LEFT JOIN shopper s ON s.id = m.shopper_id AND s.shop = m.shop
  LEFT JOIN attribution a ON a.message_id = m.id AND a.shop = m.shop
  GROUP BY d.day, m.flow, COALESCE(s.stage, '')`;

/** Revenue credited to texts by the day the order was placed. */
export const REVENUE_DAY_ROWS = `
  SELECT d.day,
         COALESCE(sum(a.revenue) FILTER (WHERE a.recovered), 0) AS recovered,
         COALESCE(sum(a.revenue) FILTER (WHERE NOT a.recovered), 0) AS other
  FROM ${DAYS}
  JOIN "order" o ON o.shop = $1 AND o.placed_at >= d.starts AND o.placed_at < d.ends
  JOIN attribution a ON a.order_id = o.id AND a.shop = o.shop
  GROUP BY d.day`;

/**
 * Each flow's eligible first texts by the day they fell due: FLOW_LIFT_SQL per day ($5 cart
 * conversion days, $6/$7 the other flows and their days). A text's conversion window runs past
 * its day, which is why an order marks the days of the texts it can convert (migration 0013).
 */
export const LIFT_DAY_ROWS = `
  SELECT day, flow,
         count(*) FILTER (WHERE status = 'sent')::int AS treated,
         count(*) FILTER (WHERE status = 'sent' AND converted)::int AS treated_converted,
         count(*) FILTER (WHERE status = 'skipped')::int AS control,
         count(*) FILTER (WHERE status = 'skipped' AND converted)::int AS control_converted,
         sum(total) FILTER (WHERE status = 'sent' AND converted) AS treated_revenue
  FROM (
    SELECT d.day, 'cart_recovery' AS flow, m.status,
           c.completed_at IS NOT NULL AND c.completed_at <= m.due_at + make_interval(days => $5) AS converted,
           t.total
    FROM ${DAYS}
    JOIN scheduled_message m ON m.shop = $1 AND m.flow = 'cart_recovery' AND m.step = 1 AND m.due_at >= d.starts AND m.due_at < d.ends
    JOIN checkout c ON c.shop = m.shop AND c.token = m.checkout_token
    LEFT JOIN (SELECT o.checkout_token AS token, sum(o.total_price) AS total
               FROM "order" o WHERE o.shop = $1 AND o.checkout_token IS NOT NULL
               GROUP BY o.checkout_token) t ON t.token = m.checkout_token
    WHERE m.status = 'sent' OR (m.status = 'skipped' AND m.reason = 'holdout')
    UNION ALL
    SELECT d.day, m.flow, m.status, count(o.id) > 0 AS converted, sum(o.total_price) AS total
    FROM ${DAYS}
    JOIN scheduled_message m ON m.shop = $1 AND m.flow = ANY($6::text[]) AND m.step = 1 AND m.due_at >= d.starts AND m.due_at < d.ends
    JOIN unnest($6::text[], $7::int[]) AS w(flow, days) ON w.flow = m.flow
    LEFT JOIN "order" o ON o.shop = $1 AND o.shopper_id = m.shopper_id
      AND o.placed_at > m.due_at AND o.placed_at <= m.due_at + make_interval(days => w.days)
    WHERE m.status = 'sent' OR (m.status = 'skipped' AND m.reason = 'holdout')
    GROUP BY d.day, m.id, m.flow, m.status
  ) eligible
  GROUP BY day, flow`;

const OTHER_FLOWS = LIFT_FLOWS.filter((f) => f !== "cart_recovery");

/** $5..$7 of LIFT_DAY_ROWS. */
export const LIFT_WINDOW_PARAMS = [CONVERSION_DAYS.cart_recovery, OTHER_FLOWS, OTHER_FLOWS.map((f) => CONVERSION_DAYS[f])] as const;
