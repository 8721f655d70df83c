import type { SqlDriver } from "../db/sql-driver.server";
import { STAGES, type Stage } from "../journey";

export interface DateRange {
  from: Date;
  to: Date;
}

export interface FlowMetrics {
  flow: string;
  stage: Stage;
  sent: number;
  delivered: number;
  clicked: number;
  converted: number;
  recoveredRevenue: number;
  segments: number;
}

export interface EngagementMetrics {
  byFlowAndStage: FlowMetrics[];
  funnel: Record<Stage, number>;
  repeatPurchaseRate: number | null;
  customerLifetimeValue: number | null;
  recency: { bucket: string; customers: number }[];
  nps: { score: number | null; responses: number; promoters: number; detractors: number };
  estimatedCost: number;
}

/**
 * The merchant's numbers for a shop and period, each one SQL aggregate (no loops over rows):
 * texts by flow and journey stage, the stage funnel, repeat purchase rate, lifetime value,
 * recency of last order, NPS from post-purchase replies and the estimated SMS cost.
 */
export async function engagementMetrics(sql: SqlDriver, shop: string, range: DateRange, segmentPrice: number): Promise<EngagementMetrics> {
  const window = [shop, range.from, range.to];
  const [flows, stages, customers, recency, nps] = await Promise.all([
    sql.query<{ flow: string; stage: Stage; sent: number; delivered: number; clicked: number; converted: number; recovered: string; segments: number }>(
      `SELECT m.flow, s.stage,
              count(*)::int AS sent,
              count(*) FILTER (WHERE m.delivery_status = 'delivered')::int AS delivered,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM short_link l WHERE l.message_id = m.id AND l.clicks > 0))::int AS clicked,
              count(a.id)::int AS converted,
              COALESCE(sum(a.revenue) FILTER (WHERE a.recovered), 0)::text AS recovered,
              COALESCE(sum(m.segments), 0)::int AS segments
       FROM scheduled_message m
       JOIN shopper s ON s.id = m.shopper_id
       LEFT JOIN attribution a ON a.message_id = m.id
       WHERE m.shop = $1 AND m.status = 'sent' AND m.sent_at >= $2 AND m.sent_at < $3
       GROUP BY m.flow, s.stage
       ORDER BY m.flow, s.stage`,
      window,
    ),
    sql.query<{ stage: Stage; n: number }>("SELECT stage, count(*)::int AS n FROM shopper WHERE shop = $1 AND consent <> 'redacted' GROUP BY stage", [shop]),
    sql.query<{ buyers: number; repeat: number; revenue: string | null }>(
      `SELECT count(DISTINCT o.shopper_id)::int AS buyers,
              (SELECT count(*)::int FROM (SELECT shopper_id FROM "order" WHERE shop = $1 AND placed_at >= $2 AND placed_at < $3 AND shopper_id IS NOT NULL
                                          GROUP BY shopper_id HAVING count(*) >= 2) r) AS repeat,
              sum(o.total_price)::text AS revenue
       FROM "order" o WHERE o.shop = $1 AND o.placed_at >= $2 AND o.placed_at < $3 AND o.shopper_id IS NOT NULL`,
      window,
    ),
    sql.query<{ bucket: string; customers: number }>(
      `SELECT bucket, count(*)::int AS customers FROM (
         SELECT CASE WHEN days <= 30 THEN '0-30' WHEN days <= 60 THEN '31-60' WHEN days <= 90 THEN '61-90'
                     WHEN days <= 180 THEN '91-180' ELSE '181+' END AS bucket
         FROM (SELECT EXTRACT(EPOCH FROM ($2::timestamptz - last_order_at)) / 86400 AS days
               FROM shopper WHERE shop = $1 AND last_order_at IS NOT NULL AND last_order_at < $2) d) b
       GROUP BY bucket`,
      [shop, range.to],
    ),
    sql.query<{ responses: number; promoters: number; detractors: number }>(
      `SELECT count(*)::int AS responses,
              count(*) FILTER (WHERE (data->>'score')::int >= 9)::int AS promoters,
              count(*) FILTER (WHERE (data->>'score')::int <= 6)::int AS detractors
       FROM journey_event WHERE shop = $1 AND type = 'nps' AND occurred_at >= $2 AND occurred_at < $3`,
      window,
    ),
  ]);

  const funnel = Object.fromEntries(STAGES.map((stage) => [stage, 0])) as Record<Stage, number>;
  for (const row of stages) if (row.stage in funnel) funnel[row.stage] = row.n;
  const buyers = customers[0]?.buyers ?? 0;
  const order = ["0-30", "31-60", "61-90", "91-180", "181+"];
  const npsRow = nps[0] ?? { responses: 0, promoters: 0, detractors: 0 };
  const byFlowAndStage = flows.map((r) => ({
    flow: r.flow,
    stage: r.stage,
    sent: r.sent,
    delivered: r.delivered,
    clicked: r.clicked,
    converted: r.converted,
    recoveredRevenue: Number(r.recovered),
    segments: r.segments,
  }));
  return {
    byFlowAndStage,
    funnel,
    repeatPurchaseRate: buyers ? (customers[0]?.repeat ?? 0) / buyers : null,
    customerLifetimeValue: buyers ? Math.round((Number(customers[0]?.revenue ?? 0) / buyers) * 100) / 100 : null,
    recency: order.map((bucket) => ({ bucket, customers: recency.find((r) => r.bucket === bucket)?.customers ?? 0 })),
    nps: {
      ...npsRow,
      // NPS = % promoters (9–10) − % detractors (0–6), from −100 to 100.
      score: npsRow.responses ? Math.round(((npsRow.promoters - npsRow.detractors) / npsRow.responses) * 100) : null,
    },
    estimatedCost: Math.round(byFlowAndStage.reduce((sum, f) => sum + f.segments, 0) * segmentPrice * 10_000) / 10_000,
  };
}
