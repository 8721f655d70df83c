import type { SqlDriver } from "../db/sql-driver.server";
import { newcombeDifference } from "../offers/lift-stats";

export interface GroupResult {
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
      /** Extra revenue the texts brought: lift × treated abandonments × average treated order. */
      incrementalRevenue: number;
      currency: string | null;
    };

export const MIN_GROUP_SIZE = 30;

interface LiftRow {
  treated: number;
  treated_converted: number;
  control: number;
  control_converted: number;
  treated_revenue: string | null;
  currency: string | null;
}

/**
 * One pass over the eligible first texts ($1 shop, $2..$3 due, $4 conversion days), each
 * joined to its checkout's orders summed per checkout (indexes checkout(shop, token,
 * completed_at) and order(shop, checkout_token, total_price), both read alone).
 */
export const CART_LIFT_SQL = `
  WITH eligible AS (
    SELECT m.status, m.checkout_token AS token,
           c.completed_at IS NOT NULL AND c.completed_at <= m.due_at + make_interval(days => $4) AS converted
    FROM scheduled_message m
    JOIN checkout c ON c.shop = m.shop AND c.token = m.checkout_token
    WHERE m.shop = $1 AND m.flow = 'cart_recovery' AND m.step = 1 AND m.due_at >= $2 AND m.due_at < $3
      AND (m.status = 'sent' OR (m.status = 'skipped' AND m.reason = 'holdout'))
  ), order_totals AS (
    SELECT o.checkout_token AS token, sum(o.total_price) AS total
    FROM "order" o WHERE o.shop = $1 AND o.checkout_token IS NOT NULL
    GROUP BY o.checkout_token
  )
  SELECT count(*) FILTER (WHERE e.status = 'sent')::int AS treated,
         count(*) FILTER (WHERE e.status = 'sent' AND e.converted)::int AS treated_converted,
         count(*) FILTER (WHERE e.status = 'skipped')::int AS control,
         count(*) FILTER (WHERE e.status = 'skipped' AND e.converted)::int AS control_converted,
         sum(t.total) FILTER (WHERE e.status = 'sent' AND e.converted)::text AS treated_revenue,
         (SELECT max(o.currency) FROM "order" o WHERE o.shop = $1) AS currency
  FROM eligible e LEFT JOIN order_totals t ON t.token = e.token`;

/**
 * The abandoned-cart flow's honest number: of abandonments that were eligible for a first
 * text, how many converted (the checkout completed within `conversionDays`) when texted,
 * versus the control group held out at random. SQL aggregates only.
 */
export async function cartRecoveryLift(
  sql: SqlDriver,
  shop: string,
  range: { from: Date; to: Date },
  conversionDays = 7,
): Promise<HoldoutLift> {
  const [row] = await sql.query<LiftRow>(CART_LIFT_SQL, [shop, range.from, range.to, conversionDays]);
  const group = (shoppers: number, converted: number): GroupResult => ({ shoppers, converted, rate: shoppers ? converted / shoppers : 0 });
  const treated = group(row?.treated ?? 0, row?.treated_converted ?? 0);
  const control = group(row?.control ?? 0, row?.control_converted ?? 0);
  if (treated.shoppers < MIN_GROUP_SIZE || control.shoppers < MIN_GROUP_SIZE) {
    return { status: "insufficient_data", treated, control, needPerGroup: MIN_GROUP_SIZE };
  }
  const lift = newcombeDifference(treated.converted, treated.shoppers, control.converted, control.shoppers);
  const averageOrder = treated.converted ? Number(row?.treated_revenue ?? 0) / treated.converted : 0;
  return {
    status: "ok",
    treated,
    control,
    lift,
    incrementalRevenue: Math.round(lift.difference * treated.shoppers * averageOrder * 100) / 100,
    currency: row?.currency ?? null,
  };
}
