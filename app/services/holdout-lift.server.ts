import type { SqlDriver } from "../db/sql-driver.server";
import { newcombeDifference } from "../offers/lift-stats";

interface GroupResult {
  shoppers: number;
  converted: number;
  rate: number;
}

export type HoldoutLift =
  | { status: "insufficient_data"; treated: GroupResult; control: GroupResult; needPerGroup: number }
  | {
      status: "ok";
      treated: GroupResult;
      control: GroupResult;
      /** Treated minus control conversion rate, with its 95 % interval (Newcombe). */
      lift: { difference: number; lower: number; upper: number };
      /** Extra revenue the texts brought: lift × treated shoppers × average treated conversion's revenue. */
      incrementalRevenue: number;
      /** The same at the interval's two ends. */
      incrementalRevenueInterval: { lower: number; upper: number };
      currency: string | null;
    };

const MIN_GROUP_SIZE = 30;

/** The flows that can hold shoppers out (journey settings `holdoutPercent`). */
export const LIFT_FLOWS = ["welcome", "browse_abandonment", "cart_abandonment", "cart_recovery", "post_purchase", "win_back"] as const;
export type LiftFlow = (typeof LIFT_FLOWS)[number];

/**
 * How long after a first text's due time a conversion counts, per flow (docs/decisions/005).
 * Cart recovery: the checkout completed within 7 days. The others: any order by the shopper
 * after the due time, within the life of the flow's default code (welcome 7 days, post-purchase
 * 30, win-back 14), so treated and control shoppers are measured over the same span. Browse and
 * storefront-cart abandonment count 7 days, as cart recovery does.
 */
export const CONVERSION_DAYS: Record<LiftFlow, number> = {
  welcome: 7,
  browse_abandonment: 7,
  cart_abandonment: 7,
  cart_recovery: 7,
  post_purchase: 30,
  win_back: 14,
};

const OTHER_FLOWS = LIFT_FLOWS.filter((f) => f !== "cart_recovery");

export interface LiftRow {
  flow: LiftFlow;
  treated: number;
  treated_converted: number;
  control: number;
  control_converted: number;
  treated_revenue: string | null;
  currency: string | null;
}

/**
 * Every flow's lift in one statement ($1 shop, $2..$3 due, $4 cart conversion days, $5/$6 the
 * other flows and their conversion days), one row per flow with eligible first texts: sent, or
 * skipped for the control group. Cart recovery, as before (docs/decisions/010): whether the
 * checkout completed, from index-only scans of checkout(shop, token, completed_at) and the
 * checkout's orders summed beforehand through order(shop, checkout_token, total_price); that
 * branch reads no column outside scheduled_message_lift_report_idx. The other flows: the
 * shopper's orders placed after the due time and within the flow's days, joined as a set
 * (order(shop, shopper_id, placed_at)) and summed per text.
 */
export const FLOW_LIFT_SQL = `
  WITH cart AS (
    SELECT m.status,
           c.completed_at IS NOT NULL AND c.completed_at <= m.due_at + make_interval(days => $4) AS converted,
           t.total
    FROM scheduled_message m
    JOIN checkout c ON c.shop = m.shop AND c.token = m.checkout_token
    LEFT JOIN (SELECT o.checkout_token AS token, sum(o.total_price) AS total
               FROM "order" o WHERE o.shop = $1 AND o.checkout_token IS NOT NULL
               GROUP BY o.checkout_token) t ON t.token = m.checkout_token
    WHERE m.shop = $1 AND m.flow = 'cart_recovery' AND m.step = 1 AND m.due_at >= $2 AND m.due_at < $3
      AND (m.status = 'sent' OR (m.status = 'skipped' AND m.reason = 'holdout'))
  ), other AS (
    SELECT m.flow, m.status, count(o.id) > 0 AS converted, sum(o.total_price) AS total
    FROM scheduled_message m
    JOIN unnest($5::text[], $6::int[]) AS w(flow, days) ON w.flow = m.flow
    LEFT JOIN "order" o ON o.shop = $1 AND o.shopper_id = m.shopper_id
      AND o.placed_at > m.due_at AND o.placed_at <= m.due_at + make_interval(days => w.days)
    WHERE m.shop = $1 AND m.flow = ANY($5::text[]) AND m.step = 1 AND m.due_at >= $2 AND m.due_at < $3
      AND (m.status = 'sent' OR (m.status = 'skipped' AND m.reason = 'holdout'))
    GROUP BY m.id, m.flow, m.status
  ), eligible AS (
    SELECT 'cart_recovery' AS flow, status, converted, total FROM cart
    UNION ALL
    SELECT flow, status, converted, total FROM other
  )
  SELECT flow,
         count(*) FILTER (WHERE status = 'sent')::int AS treated,
         count(*) FILTER (WHERE status = 'sent' AND converted)::int AS treated_converted,
         count(*) FILTER (WHERE status = 'skipped')::int AS control,
         count(*) FILTER (WHERE status = 'skipped' AND converted)::int AS control_converted,
         sum(total) FILTER (WHERE status = 'sent' AND converted)::text AS treated_revenue,
         (SELECT max(o.currency) FROM "order" o WHERE o.shop = $1) AS currency
  FROM eligible
  GROUP BY flow`;

export function flowLiftParams(shop: string, range: { from: Date; to: Date }) {
  return [shop, range.from, range.to, CONVERSION_DAYS.cart_recovery, OTHER_FLOWS, OTHER_FLOWS.map((f) => CONVERSION_DAYS[f])];
}

/**
 * Each flow's honest number: of the shoppers eligible for its first text, how many converted
 * when texted versus the control group held out at random. SQL aggregates only, one statement.
 */
export async function flowLifts(sql: SqlDriver, shop: string, range: { from: Date; to: Date }): Promise<Record<LiftFlow, HoldoutLift>> {
  const rows = await sql.query<LiftRow>(FLOW_LIFT_SQL, flowLiftParams(shop, range));
  return Object.fromEntries(LIFT_FLOWS.map((flow) => [flow, liftOf(rows.find((r) => r.flow === flow))])) as Record<LiftFlow, HoldoutLift>;
}

/** The abandoned-cart flow's lift (the demo's outcome check reads it alone). */
export async function cartRecoveryLift(sql: SqlDriver, shop: string, range: { from: Date; to: Date }): Promise<HoldoutLift> {
  return (await flowLifts(sql, shop, range)).cart_recovery;
}

/** The lift of one group's counts (a flow's, or a campaign's: app/campaigns/results.server.ts). */
export function liftOf(row: Omit<LiftRow, "flow"> | undefined): HoldoutLift {
  const group = (shoppers: number, converted: number): GroupResult => ({ shoppers, converted, rate: shoppers ? converted / shoppers : 0 });
  const treated = group(row?.treated ?? 0, row?.treated_converted ?? 0);
  const control = group(row?.control ?? 0, row?.control_converted ?? 0);
  if (treated.shoppers < MIN_GROUP_SIZE || control.shoppers < MIN_GROUP_SIZE) {
    return { status: "insufficient_data", treated, control, needPerGroup: MIN_GROUP_SIZE };
  }
  const lift = newcombeDifference(treated.converted, treated.shoppers, control.converted, control.shoppers);
  const averageOrder = treated.converted ? Number(row?.treated_revenue ?? 0) / treated.converted : 0;
  const revenueAt = (rate: number) => Math.round(rate * treated.shoppers * averageOrder * 100) / 100;
  return {
    status: "ok",
    treated,
    control,
    lift,
    incrementalRevenue: revenueAt(lift.difference),
    incrementalRevenueInterval: { lower: revenueAt(lift.lower), upper: revenueAt(lift.upper) },
    currency: row?.currency ?? null,
  };
}
