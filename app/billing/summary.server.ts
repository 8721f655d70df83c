import type { SqlDriver } from "../db/sql-driver.server";
import { spendForecast, type SpendForecast } from "./forecast";
import { billingConfig, ownTwilioAccount } from "./from-env.server";
import { cents, chargesUsage, planRequired } from "./plan";
import { readPlan } from "./plan-state.server";

/** What the dashboard's meter and Settings show of the shop's plan. */
export interface BillingSummary {
  planName: string | null;
  status: string | null;
  test: boolean;
  currency: string;
  pricePerSegment: string;
  flatFee: string | null;
  /** Whether texts are charged per segment (false on the shop's own Twilio account). */
  chargesUsage: boolean;
  capCents: number | null;
  /** Shopify's balance used plus charges on their way: what this period has cost so far. */
  spentCents: number;
  forecast: SpendForecast | null;
  spendingLimitReached: boolean;
  /** Whether the cap can be raised from the admin (Shopify has named the usage line item). */
  canRaiseCap: boolean;
}

/** The shop's plan for the admin, or null when billing is off or the shop needs no plan. */
export async function loadBillingSummary(sql: SqlDriver, shop: string, now: Date): Promise<BillingSummary | null> {
  const config = billingConfig();
  if (!config) return null;
  const [shopRow] = await sql.query<{ settings: unknown }>(`SELECT settings FROM shop WHERE domain = $1`, [shop]);
  const own = ownTwilioAccount(shopRow?.settings);
  if (!planRequired(config, own) && !chargesUsage(config, own)) return null;
  const plan = await readPlan(sql, shop);
  const [owed] = await sql.query<{ owed: string }>(`SELECT COALESCE(sum(amount), 0)::text AS owed FROM usage_charge WHERE shop = $1 AND status IN ('pending', 'held')`, [shop]);
  const capCents = plan?.capped_amount ? cents(plan.capped_amount) : null;
  const spentCents = cents(plan?.balance_used ?? 0) + cents(owed?.owed ?? 0);
  const periodEnd = plan?.current_period_end ? new Date(plan.current_period_end) : null;
  const periodLive = !periodEnd || now < periodEnd;
  return {
    planName: plan?.name ?? null,
    status: plan?.status ?? null,
    test: plan?.test ?? false,
    currency: plan?.currency ?? config.currency,
    pricePerSegment: config.pricePerSegment,
    flatFee: config.flatFee,
    chargesUsage: chargesUsage(config, own),
    capCents,
    spentCents,
    forecast: capCents !== null && periodEnd ? spendForecast({ spentCents, capCents, periodEnd, now }) : null,
    spendingLimitReached: Boolean(plan?.spending_limit_at && periodLive) || (capCents !== null && spentCents >= capCents),
    canRaiseCap: Boolean(plan?.line_item_id && plan.status === "ACTIVE"),
  };
}
