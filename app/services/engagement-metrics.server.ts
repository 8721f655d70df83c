import type { SqlDriver } from "../db/sql-driver.server";
import type { Stage } from "../journey";
import { customerOrders, type CustomerOrders } from "./dashboard-series.server";

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
  sources: { textsByFlowAndStage?: () => Promise<FlowMetrics[]>; customerOrders?: () => Promise<CustomerOrders>; nps?: () => Promise<NpsCounts> } = {},
): Promise<EngagementMetrics> {
  const [byFlowAndStage, customers, nps] = await Promise.all([
    sources.textsByFlowAndStage ? sources.textsByFlowAndStage() : liveTextsByFlowAndStage(sql, shop, range),
    // Lifetime value: every customer who had ordered by the period's end, over all their orders
    // until then, imported history included (docs/decisions/005, 014).
    sources.customerOrders ? sources.customerOrders() : customerOrders(sql, { shop, ...range }),
    sources.nps ? sources.nps() : liveNpsCounts(sql, shop, range),
  ]);

  // Repeat purchase rate: of the customers who ordered in the period, those who ordered twice or more in it.
  const buyers = customers.ordersPerCustomer.reduce((sum, n) => sum + n, 0);
  const repeatBuyers = buyers - customers.ordersPerCustomer[0]!;
  const { customers: lifetimeCustomers, revenue: lifetimeRevenue } = customers.lifetime;
  return {
    byFlowAndStage,
    repeatPurchaseRate: buyers ? repeatBuyers / buyers : null,
    customerLifetimeValue: lifetimeCustomers ? Math.round((lifetimeRevenue / lifetimeCustomers) * 100) / 100 : null,
    nps: {
      ...nps,
      // NPS = % promoters (9–10) − % detractors (0–6), from −100 to 100.
      score: nps.responses ? Math.round(((nps.promoters - nps.detractors) / nps.responses) * 100) : null,
    },
    estimatedCost: Math.round(byFlowAndStage.reduce((sum, f) => sum + f.segments, 0) * segmentPrice * 10_000) / 10_000,
  };
}

export interface NpsCounts {
  responses: number;
  promoters: number;
  detractors: number;
}

/**
 * NPS answers in the range straight from the events (the dashboard reads the same from its
 * rollups: app/dashboard/read-rollups.server.ts npsCounts).
 */
async function liveNpsCounts(sql: SqlDriver, shop: string, range: DateRange): Promise<NpsCounts> {
  const [row] = await sql.query<NpsCounts>(
    `SELECT count(*)::int AS responses,
            count(*) FILTER (WHERE (data->>'score')::int >= 9)::int AS promoters,
            count(*) FILTER (WHERE (data->>'score')::int <= 6)::int AS detractors
     FROM journey_event WHERE shop = $1 AND type = 'nps' AND occurred_at >= $2 AND occurred_at < $3`,
    [shop, range.from, range.to],
  );
  return row ?? { responses: 0, promoters: 0, detractors: 0 };
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
