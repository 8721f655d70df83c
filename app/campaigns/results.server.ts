import type { SqlDriver } from "../db/sql-driver.server";
import { liftOf, type HoldoutLift } from "../services/holdout-lift.server";

/** How long after its text (or the control shopper's would-be text) an order counts as a conversion. */
const CAMPAIGN_CONVERSION_DAYS = 7;

export interface CampaignResults {
  recipients: number;
  pending: number;
  sent: number;
  delivered: number;
  failed: number;
  /** Skipped texts by the guard's reason (holdout is the control group). */
  skipped: Record<string, number>;
  clicked: number;
  orders: number;
  revenue: number;
  currency: string | null;
  /** Recipients who opted out after their text. */
  optOuts: number;
  lift: HoldoutLift;
}

interface Counts {
  recipients: number;
  pending: number;
  sent: number;
  delivered: number;
  failed: number;
  clicked: number;
  opt_outs: number;
  treated_converted: number;
  control_converted: number;
  treated_revenue: string | null;
}

/**
 * A campaign's results from its outbox rows, in two statements: the counts (with clicks,
 * opt-outs and conversions joined per text) and the skips by reason. Orders attributed to its
 * texts (last touch, app/services/attribution.server.ts) give orders and revenue; the lift
 * compares any order within 7 days by texted shoppers against the control group's, with
 * Newcombe's interval as for the flows (docs/decisions/005).
 */
export async function campaignResults(sql: SqlDriver, shop: string, campaignId: string): Promise<CampaignResults> {
  const [counts] = await sql.query<Counts>(
    `WITH texts AS (
       SELECT m.id, m.status, m.reason, m.delivery_status, m.sent_at, m.due_at, m.shopper_id,
              EXISTS (SELECT 1 FROM short_link l WHERE l.shop = $1 AND l.message_id = m.id AND l.clicks > 0) AS clicked,
              EXISTS (SELECT 1 FROM consent c WHERE c.shop = $1 AND c.shopper_id = m.shopper_id AND c.status = 'revoked' AND c.collected_at >= m.sent_at) AS opted_out,
              (SELECT sum(o.total_price) FROM "order" o WHERE o.shop = $1 AND o.shopper_id = m.shopper_id
                 AND o.placed_at > m.due_at AND o.placed_at <= m.due_at + make_interval(days => $3)) AS converted_total,
              EXISTS (SELECT 1 FROM "order" o WHERE o.shop = $1 AND o.shopper_id = m.shopper_id
                 AND o.placed_at > m.due_at AND o.placed_at <= m.due_at + make_interval(days => $3)) AS converted
       FROM scheduled_message m
       WHERE m.shop = $1 AND m.campaign_id = $2)
     SELECT count(*)::int AS recipients,
            count(*) FILTER (WHERE status IN ('scheduled', 'sending', 'paused'))::int AS pending,
            count(*) FILTER (WHERE status = 'sent')::int AS sent,
            count(*) FILTER (WHERE status = 'sent' AND delivery_status = 'delivered')::int AS delivered,
            count(*) FILTER (WHERE status IN ('failed', 'unknown'))::int AS failed,
            count(*) FILTER (WHERE clicked)::int AS clicked,
            count(*) FILTER (WHERE status = 'sent' AND opted_out)::int AS opt_outs,
            count(*) FILTER (WHERE status = 'sent' AND converted)::int AS treated_converted,
            count(*) FILTER (WHERE status = 'skipped' AND reason = 'holdout' AND converted)::int AS control_converted,
            sum(converted_total) FILTER (WHERE status = 'sent')::text AS treated_revenue
     FROM texts`,
    [shop, campaignId, CAMPAIGN_CONVERSION_DAYS],
  );
  const skips = await sql.query<{ reason: string; n: number }>(
    `SELECT coalesce(reason, 'unknown') AS reason, count(*)::int AS n FROM scheduled_message
     WHERE shop = $1 AND campaign_id = $2 AND status IN ('skipped', 'cancelled') GROUP BY 1`,
    [shop, campaignId],
  );
  const [attributed] = await sql.query<{ orders: number; revenue: string | null; currency: string | null }>(
    `SELECT count(*)::int AS orders, sum(a.revenue)::text AS revenue, max(a.currency) AS currency
     FROM attribution a JOIN scheduled_message m ON m.id = a.message_id
     WHERE a.shop = $1 AND m.shop = $1 AND m.campaign_id = $2`,
    [shop, campaignId],
  );
  const skipped = Object.fromEntries(skips.map((s) => [s.reason, s.n]));
  const c = counts!;
  return {
    recipients: c.recipients,
    pending: c.pending,
    sent: c.sent,
    delivered: c.delivered,
    failed: c.failed,
    skipped,
    clicked: c.clicked,
    orders: attributed!.orders,
    revenue: Number(attributed!.revenue ?? 0),
    currency: attributed!.currency,
    optOuts: c.opt_outs,
    lift: liftOf({
      treated: c.sent,
      treated_converted: c.treated_converted,
      control: skipped.holdout ?? 0,
      control_converted: c.control_converted,
      treated_revenue: c.treated_revenue,
      currency: attributed!.currency,
    }),
  };
}
