import type { SqlDriver } from "../db/sql-driver.server";
import type { Stage } from "../journey";

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
  repeatPurchaseRate: number | null;
  /** Average revenue per customer over their whole history up to the period's end. */
  customerLifetimeValue: number | null;
  nps: { score: number | null; responses: number; promoters: number; detractors: number };
  estimatedCost: number;
}

/**
 * The merchant's numbers for a shop and period, each one SQL aggregate (no loops over rows):
 * texts by flow and journey stage, repeat purchase rate (in the period), lifetime value (whole
 * history to the period's end), NPS from post-purchase replies and the estimated SMS cost. (The charts' funnel and recency
 * histogram are in dashboard-series.server.ts.)
 */
export async function engagementMetrics(
  sql: SqlDriver,
  shop: string,
  range: DateRange,
  segmentPrice: number,
  textsByFlowAndStage: () => Promise<FlowMetrics[]> = () => liveTextsByFlowAndStage(sql, shop, range),
): Promise<EngagementMetrics> {
  const window = [shop, range.from, range.to];
  const [byFlowAndStage, customers, nps] = await Promise.all([
    textsByFlowAndStage(),
    // Lifetime value: every customer who had ordered by the period's end, over all their orders
    // until then, imported history included (docs/decisions/005, 014). Index-only through
    // order(shop, placed_at, shopper_id, total_price).
    sql.query<{ buyers: number; repeat: number; customers: number; lifetime_revenue: string | null }>(
      `SELECT p.buyers, p.repeat, l.customers, l.lifetime_revenue
       FROM (SELECT count(*)::int AS buyers, count(*) FILTER (WHERE n >= 2)::int AS repeat
             FROM (SELECT count(*) AS n FROM "order" WHERE shop = $1 AND placed_at >= $2 AND placed_at < $3 AND shopper_id IS NOT NULL
                   GROUP BY shopper_id) per_buyer) p,
            (SELECT count(DISTINCT shopper_id)::int AS customers, sum(total_price)::text AS lifetime_revenue
             FROM "order" WHERE shop = $1 AND placed_at < $3 AND shopper_id IS NOT NULL) l`,
      window,
    ),
    sql.query<{ responses: number; promoters: number; detractors: number }>(
      `SELECT count(*)::int AS responses,
              count(*) FILTER (WHERE (data->>'score')::int >= 9)::int AS promoters,
              count(*) FILTER (WHERE (data->>'score')::int <= 6)::int AS detractors
       FROM journey_event WHERE shop = $1 AND type = 'nps' AND occurred_at >= $2 AND occurred_at < $3`,
      window,
    ),
  ]);

  const buyers = customers[0]?.buyers ?? 0;
  const lifetimeCustomers = customers[0]?.customers ?? 0;
  const npsRow = nps[0] ?? { responses: 0, promoters: 0, detractors: 0 };
  return {
    byFlowAndStage,
    repeatPurchaseRate: buyers ? (customers[0]?.repeat ?? 0) / buyers : null,
    customerLifetimeValue: lifetimeCustomers ? Math.round((Number(customers[0]?.lifetime_revenue ?? 0) / lifetimeCustomers) * 100) / 100 : null,
    nps: {
      ...npsRow,
      // NPS = % promoters (9–10) − % detractors (0–6), from −100 to 100.
      score: npsRow.responses ? Math.round(((npsRow.promoters - npsRow.detractors) / npsRow.responses) * 100) : null,
    },
    estimatedCost: Math.round(byFlowAndStage.reduce((sum, f) => sum + f.segments, 0) * segmentPrice * 10_000) / 10_000,
  };
}

/**
 * Sent texts in the range by flow and the shopper's current stage, straight from the rows
 * (the dashboard reads the same from its rollups: app/dashboard/read-rollups.server.ts).
 */
export async function liveTextsByFlowAndStage(sql: SqlDriver, shop: string, range: DateRange): Promise<FlowMetrics[]> {
  const rows = await sql.query<{ flow: string; stage: Stage; sent: number; delivered: number; clicked: number; converted: number; recovered: string; segments: number }>(
    // Clicked: one hashed set of the shop's clicked messages (index short_link(shop, clicks,
    // message_id)) rather than a correlated EXISTS probing short_link once per text.
    `SELECT m.flow, s.stage,
            count(*)::int AS sent,
            count(*) FILTER (WHERE m.delivery_status = 'delivered')::int AS delivered,
            count(*) FILTER (WHERE m.id IN (SELECT message_id FROM short_link WHERE shop = $1 AND clicks > 0))::int AS clicked,
            count(a.id)::int AS converted,
            COALESCE(sum(a.revenue) FILTER (WHERE a.recovered), 0)::text AS recovered,
            COALESCE(sum(m.segments), 0)::int AS segments
     FROM scheduled_message m
     JOIN shopper s ON s.id = m.shopper_id AND s.shop = m.shop
     LEFT JOIN attribution a ON a.message_id = m.id AND a.shop = m.shop
     WHERE m.shop = $1 AND m.status = 'sent' AND m.sent_at >= $2 AND m.sent_at < $3
     GROUP BY m.flow, s.stage
     ORDER BY m.flow, s.stage`,
    [shop, range.from, range.to],
  );
  return rows.map(({ recovered, ...r }) => ({ ...r, recoveredRevenue: Number(recovered) }));
}
