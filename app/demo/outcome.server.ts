import { loadCampaign } from "../campaigns/campaigns.server";
import { campaignResults } from "../campaigns/results.server";
import type { SqlDriver } from "../db/sql-driver.server";
import { inHoldout } from "../offers/holdout";
import { cartRecoveryLift } from "../services/holdout-lift.server";
import { readShopSettings } from "../services/shops.server";
import { DEMO_FLOW_RULES, emptyByFlow, liftDifference, roundCents, type Outcome, type TextFlow } from "./scenario/expected-outcome";

export interface MeasuredOutcome extends Outcome {
  /** Phones of the shoppers the app put in the cart-recovery control group. */
  controlGroup: string[];
  /** Texts due by now that the dispatcher hasn't finished with: the run hasn't settled. */
  unsettled: number;
  /** The merchant's campaign (app/demo/scenario/campaign.ts) and its results, apart from the scenario's figures. */
  campaign: DemoCampaignResults | null;
}

interface DemoCampaignResults {
  name: string;
  status: string;
  recipients: number;
  sent: number;
  delivered: number;
  held: number;
  clicked: number;
  orders: number;
  revenue: number;
}

/**
 * The campaign's own audience: its texts, the orders of the shoppers it went to and their
 * clicks are the campaign's results, kept out of the scenario's figures (which its plan predicts).
 */
const CAMPAIGN_SHOPPERS = "SELECT shopper_id FROM scheduled_message WHERE shop = $1 AND flow = 'campaign'";

const FLOWS = Object.keys(DEMO_FLOW_RULES) as TextFlow[];

/**
 * What a demo run produced, read from the database the dashboard reads: texts by status and
 * reason, clicks, opt-outs, orders, attributed revenue and the cart-recovery lift groups.
 * For `npm run demo -- --ci`, which compares it with the scenario's expected outcome.
 */
export async function measureOutcome(sql: SqlDriver, shop: string, range: { from: Date; to: Date; now: Date }): Promise<MeasuredOutcome> {
  const byStatus = await sql.query<{ status: string; flow: string; reason: string | null; delivered: number; n: number }>(
    `SELECT status, flow, reason, count(*) FILTER (WHERE delivery_status = 'delivered')::int AS delivered, count(*)::int AS n
     FROM scheduled_message WHERE shop = $1 AND flow <> 'campaign' GROUP BY status, flow, reason`,
    [shop],
  );
  const texts: Outcome["texts"] = { sent: 0, delivered: 0, clicked: 0, byFlow: emptyByFlow() };
  const skipped: Record<string, number> = {};
  const cancelled: Record<string, number> = {};
  for (const row of byStatus) {
    if (row.status === "sent") {
      texts.sent += row.n;
      texts.delivered += row.delivered;
      if (FLOWS.includes(row.flow as TextFlow)) texts.byFlow[row.flow as TextFlow] += row.n;
    }
    const reason = row.reason ?? "unknown";
    if (row.status === "skipped") skipped[reason] = (skipped[reason] ?? 0) + row.n;
    if (row.status === "cancelled") cancelled[reason] = (cancelled[reason] ?? 0) + row.n;
  }
  const [unsettled] = await sql.query<{ n: number }>("SELECT count(*)::int AS n FROM scheduled_message WHERE shop = $1 AND ((status = 'scheduled' AND due_at <= $2) OR status = 'sending')", [
    shop,
    range.now,
  ]);
  const [clicks] = await sql.query<{ n: number }>(
    `SELECT count(DISTINCT message_id)::int AS n FROM short_link WHERE shop = $1 AND clicks > 0 AND (shopper_id IS NULL OR shopper_id NOT IN (${CAMPAIGN_SHOPPERS}))`,
    [shop],
  );
  texts.clicked = clicks?.n ?? 0;
  const [optOuts] = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM shopper WHERE shop = $1 AND consent = 'revoked' AND id NOT IN (${CAMPAIGN_SHOPPERS})`, [shop]);
  const [orderCount] = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "order" WHERE shop = $1 AND (shopper_id IS NULL OR shopper_id NOT IN (${CAMPAIGN_SHOPPERS}))`, [shop]);
  const credited = await sql.query<{ flow: string; n: number; revenue: string; recovered: string }>(
    `SELECT flow, count(*)::int AS n, sum(revenue)::text AS revenue, coalesce(sum(revenue) FILTER (WHERE recovered), 0)::text AS recovered
     FROM attribution WHERE shop = $1 AND (shopper_id IS NULL OR shopper_id NOT IN (${CAMPAIGN_SHOPPERS})) GROUP BY flow`,
    [shop],
  );
  const orders: Outcome["orders"] = { total: orderCount?.n ?? 0, attributed: 0, byFlow: emptyByFlow() };
  const revenue = { recovered: 0, attributed: 0 };
  for (const row of credited) {
    orders.attributed += row.n;
    if (FLOWS.includes(row.flow as TextFlow)) orders.byFlow[row.flow as TextFlow] += row.n;
    revenue.attributed += Number(row.revenue);
    revenue.recovered += Number(row.recovered);
  }

  const lift = await cartRecoveryLift(sql, shop, range);
  const treated = { shoppers: lift.treated.shoppers, converted: lift.treated.converted };
  const control = { shoppers: lift.control.shoppers, converted: lift.control.converted };

  const [shopRow] = await sql.query<{ settings: unknown }>("SELECT settings FROM shop WHERE domain = $1", [shop]);
  const percent = readShopSettings(shop, shopRow?.settings).journey.holdoutPercent.cart_recovery;
  const shoppers = await sql.query<{ id: string; phone: string | null }>("SELECT id, phone FROM shopper WHERE shop = $1 AND phone IS NOT NULL", [shop]);
  const controlGroup = shoppers.filter((s) => inHoldout(s.id, "cart_recovery", percent)).map((s) => s.phone!);

  return {
    texts,
    skipped,
    cancelled,
    optOuts: optOuts?.n ?? 0,
    orders,
    revenue: { recovered: roundCents(revenue.recovered), attributed: roundCents(revenue.attributed) },
    lift: { treated, control, difference: liftDifference(treated, control) },
    controlGroup: controlGroup.sort(),
    unsettled: unsettled?.n ?? 0,
    campaign: await demoCampaign(sql, shop),
  };
}

/** The shop's latest campaign with the figures its results page shows. */
async function demoCampaign(sql: SqlDriver, shop: string): Promise<DemoCampaignResults | null> {
  const [latest] = await sql.query<{ id: string }>("SELECT id FROM campaign WHERE shop = $1 ORDER BY created_at DESC LIMIT 1", [shop]);
  const row = latest ? await loadCampaign(sql, shop, latest.id) : null;
  if (!row) return null;
  const r = await campaignResults(sql, shop, row.id);
  return { name: row.name, status: row.status, recipients: r.recipients, sent: r.sent, delivered: r.delivered, held: r.skipped.holdout ?? 0, clicked: r.clicked, orders: r.orders, revenue: r.revenue };
}
