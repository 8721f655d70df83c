import type { SqlDriver, SqlTx } from "../db/sql-driver.server";
import { log } from "../lib/log.server";
import type { ShopifySubscription } from "../adapters/shopify-billing.server";
import { cents, PERIOD_MS } from "./plan";
import type { PlanFacts } from "./hold";

interface PlanRow {
  subscription_id: string;
  name: string;
  status: string;
  test: boolean;
  line_item_id: string | null;
  capped_amount: string | null;
  balance_used: string | null;
  currency: string;
  current_period_end: Date | null;
  spending_limit_at: Date | null;
  shopify_updated_at: Date | null;
}

/** The shop's plan as last recorded, or null. */
export async function readPlan(sql: SqlTx, shop: string): Promise<PlanRow | null> {
  const [row] = await sql.query<PlanRow>(
    `SELECT subscription_id, name, status, test, line_item_id, capped_amount::text AS capped_amount, balance_used::text AS balance_used, currency,
            current_period_end, spending_limit_at, shopify_updated_at
     FROM billing_plan WHERE shop = $1`,
    [shop],
  );
  return row ?? null;
}

/**
 * What the dispatcher's hold needs, in one round trip under the chunk's locks: the plan and the
 * charges owed but not yet taken by Shopify (pending or held).
 */
export async function readPlanFacts(tx: SqlTx, shop: string): Promise<PlanFacts | null> {
  const [row] = await tx.query<{ status: string; capped_amount: string | null; balance_used: string | null; owed: string; spending_limit_at: Date | null; current_period_end: Date | null }>(
    `SELECT p.status, p.capped_amount::text AS capped_amount, p.balance_used::text AS balance_used, p.spending_limit_at, p.current_period_end,
            (SELECT COALESCE(sum(amount), 0)::text FROM usage_charge c WHERE c.shop = p.shop AND c.status IN ('pending', 'held')) AS owed
     FROM billing_plan p WHERE p.shop = $1`,
    [shop],
  );
  if (!row) return null;
  return {
    status: row.status,
    cappedCents: row.capped_amount === null ? null : cents(row.capped_amount),
    usedCents: row.balance_used === null ? null : cents(row.balance_used),
    owedCents: cents(row.owed),
    spendingLimitAt: row.spending_limit_at ? new Date(row.spending_limit_at) : null,
    currentPeriodEnd: row.current_period_end ? new Date(row.current_period_end) : null,
  };
}

/** A subscription change: everything Shopify said, or the webhook's part of it (no line item, no balance). */
export interface SubscriptionUpdate extends Partial<Omit<ShopifySubscription, "id" | "name" | "status">> {
  id: string;
  name: string;
  status: string;
  /** Shopify's updated_at (the webhook's); an update older than the one recorded changes nothing. */
  updatedAt?: Date | null;
}

/**
 * Records the shop's subscription (app_subscriptions/update, an admin load, the charge worker's
 * reconciliation). A new subscription replaces the old one. When the plan becomes active, or its
 * cap goes up, the spending limit is lifted and what waited on billing goes again: held charges
 * and held texts are due now (docs/decisions/023-billing.md). Returns whether holds were lifted.
 */
export async function recordSubscription(tx: SqlTx, shop: string, update: SubscriptionUpdate, now: Date): Promise<boolean> {
  {
    const [previous] = await tx.query<PlanRow>(`SELECT subscription_id, status, capped_amount::text AS capped_amount, shopify_updated_at FROM billing_plan WHERE shop = $1 FOR UPDATE`, [shop]);
    const same = previous?.subscription_id === update.id;
    if (same && update.updatedAt && previous.shopify_updated_at && new Date(previous.shopify_updated_at) > update.updatedAt) return false;
    const raised = same && update.cappedAmount != null && previous.capped_amount !== null && cents(update.cappedAmount) > cents(previous.capped_amount);
    const activated = update.status === "ACTIVE" && (!previous || !same || previous.status !== "ACTIVE");
    const lift = update.status === "ACTIVE" && (raised || activated);
    await tx.query(
      `INSERT INTO billing_plan AS p (shop, subscription_id, name, status, test, line_item_id, capped_amount, balance_used, currency, current_period_end, shopify_updated_at, updated_at)
       VALUES ($1, $2, $3, $4, COALESCE($5, false), $6, $7::numeric, $8::numeric, COALESCE($9, 'USD'), $10, $11, now())
       ON CONFLICT (shop) DO UPDATE SET
         subscription_id = EXCLUDED.subscription_id, name = EXCLUDED.name, status = EXCLUDED.status,
         test = COALESCE($5, CASE WHEN p.subscription_id = EXCLUDED.subscription_id THEN p.test ELSE false END),
         line_item_id = COALESCE($6, CASE WHEN p.subscription_id = EXCLUDED.subscription_id THEN p.line_item_id END),
         capped_amount = COALESCE($7::numeric, CASE WHEN p.subscription_id = EXCLUDED.subscription_id THEN p.capped_amount END),
         balance_used = COALESCE($8::numeric, CASE WHEN p.subscription_id = EXCLUDED.subscription_id THEN p.balance_used END),
         currency = COALESCE($9, p.currency),
         current_period_end = COALESCE($10, CASE WHEN p.subscription_id = EXCLUDED.subscription_id THEN p.current_period_end END),
         spending_limit_at = CASE WHEN $12 THEN NULL ELSE p.spending_limit_at END,
         shopify_updated_at = COALESCE($11, p.shopify_updated_at), updated_at = now()`,
      [
        shop,
        update.id,
        update.name,
        update.status,
        update.test ?? null,
        update.lineItemId ?? null,
        update.cappedAmount ?? null,
        update.balanceUsed ?? null,
        update.currency ?? null,
        update.currentPeriodEnd ?? null,
        update.updatedAt ?? null,
        lift,
      ],
    );
    if (lift) await releaseBillingHolds(tx, shop, now);
    if (lift) log.info("billing plan active: texts and charges held for billing go again", { shop, status: update.status, raised });
    return lift;
  }
}

/** Shopify refused a charge for the cap: the shop's texts wait (hold.ts) until the cap is raised or the period renews. */
export async function markSpendingLimit(sql: SqlDriver | SqlTx, shop: string, now: Date): Promise<void> {
  await sql.query(`UPDATE billing_plan SET spending_limit_at = COALESCE(spending_limit_at, $2), updated_at = now() WHERE shop = $1`, [shop, now]);
}

/** Records Shopify's balance after a charge it took. */
export async function recordBalance(sql: SqlDriver, shop: string, balance: { balanceUsed: string; cappedAmount: string }): Promise<void> {
  await sql.query(`UPDATE billing_plan SET balance_used = $2::numeric, capped_amount = $3::numeric, updated_at = now() WHERE shop = $1`, [shop, balance.balanceUsed, balance.cappedAmount]);
}

/**
 * Held charges go to Shopify again and texts held for billing fall due now (they pass the
 * guards again: a cart text past its window is skipped then, with the usual reason).
 */
async function releaseBillingHolds(tx: SqlTx, shop: string, now: Date): Promise<void> {
  await tx.query(`UPDATE usage_charge SET status = 'pending', next_attempt_at = $2, updated_at = now() WHERE shop = $1 AND status = 'held'`, [shop, now]);
  await tx.query(
    `UPDATE scheduled_message SET due_at = $2, updated_at = now()
     WHERE shop = $1 AND status = 'scheduled' AND reason IN ('spending_limit', 'billing_inactive') AND due_at > $2`,
    [shop, now],
  );
}

/**
 * A new 30-day period starts with a fresh balance: plans whose period has ended lose their
 * spending limit and balance, and what they held goes again. Shopify has the last word: if the
 * next charge is still refused, the limit comes back. Returns the shops renewed.
 */
export async function renewEndedPeriods(sql: SqlDriver, now: Date): Promise<string[]> {
  return sql.transaction(async (tx) => {
    const rows = await tx.query<{ shop: string }>(
      `UPDATE billing_plan
       SET spending_limit_at = NULL, balance_used = 0,
           current_period_end = current_period_end + make_interval(secs => $2::double precision / 1000 * (floor(extract(epoch FROM ($1::timestamptz - current_period_end)) * 1000 / $2) + 1)),
           updated_at = now()
       WHERE status = 'ACTIVE' AND current_period_end <= $1
       RETURNING shop`,
      [now, PERIOD_MS],
    );
    for (const { shop } of rows) await releaseBillingHolds(tx, shop, now);
    return rows.map((r) => r.shop);
  });
}
