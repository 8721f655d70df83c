import type { PrismaClient } from "@prisma/client";
import { dayIn, startOfDay } from "../dashboard/calendar-days";
import { knownTimeZone } from "../lib/zoned-time";
import { periodInstants, resolvePeriod, type PeriodQuery } from "../dashboard/period";
import type { SqlDriver } from "../db/sql-driver.server";
import { activityOverTime, customerOrders, shopHasActivity, stageFunnel } from "./dashboard-series.server";
import { honestRoi } from "../dashboard/honest-roi";
import { FLOW_LIST } from "../flows/catalog";
import { flowLifts, LIFT_FLOWS } from "./holdout-lift.server";
import { engagementMetrics } from "./engagement-metrics.server";
import { readOrderImportProgress } from "../order-import/progress.server";
import { readShopSettings } from "./shops.server";
import { readTwilioCredentials } from "./twilio-credentials.server";
import { refreshRollups } from "../dashboard/refresh-rollups.server";
import { activityByBucket, liftsByFlow, npsCounts, textsByFlowAndStage, type RollupRead } from "../dashboard/read-rollups.server";
import { customerOrdersToday } from "../dashboard/customer-totals.server";
import { liveFromOf, splitPeriod } from "../dashboard/rollup-days";

/**
 * Everything the dashboard shows for a shop and the period asked for in the address, from
 * aggregates run side by side. Days are the shop's (shop.timezone, from Shopify; UTC if unknown).
 */
export async function loadDashboard(deps: { prisma: PrismaClient; sql: SqlDriver; twilioFromEnv: boolean; encryptionKey: Buffer | null }, shop: string, query: PeriodQuery, now: Date) {
  // The shop and the checklist's two flags in one round trip.
  const [shopRow] = await deps.sql.query<{ settings: unknown; timezone: string; currency: string; popup_live: boolean; first_text_sent: boolean }>(
    `SELECT settings, timezone, currency,
            EXISTS (SELECT 1 FROM consent WHERE shop = $1 AND source = 'popup') AS popup_live,
            EXISTS (SELECT 1 FROM scheduled_message WHERE shop = $1 AND status = 'sent') AS first_text_sent
     FROM shop WHERE domain = $1`,
    [shop],
  );
  const settings = readShopSettings(shop, shopRow?.settings);
  const timeZone = knownTimeZone(shopRow?.timezone);
  const today = dayIn(now, timeZone);
  const { period, notice } = resolvePeriod(query, today);
  const range = periodInstants(period, timeZone);
  const window = { shop, ...range, firstDay: period.from, lastDay: period.to, timeZone, bucket: period.bucket };
  // Texts by flow, the lift and the activity chart: closed days and today's closed hours from
  // the rollups, the hour under way live (docs/decisions/010-dashboard-queries.md, amendments of
  // 6 and 7 Dec 2026). A shop without its row gets no marks (migration 0013), so it is read live.
  const liveFrom = liveFromOf(startOfDay(today, timeZone), now);
  const rollups: RollupRead | null = shopRow ? { sql: deps.sql, shop, timeZone, split: splitPeriod(period.from, period.to, today), liveFrom } : null;
  if (rollups) await refreshRollups(deps.sql, shop, timeZone, period.from, period.to, now);

  // One pass over the customers' orders serves the metrics and the charts: for a period that
  // runs to today, the customers' stored totals before today plus today's orders (refreshed
  // with the rollups above; app/dashboard/customer-totals.server.ts); otherwise every order.
  const customers = rollups?.split.closed && rollups.split.live ? customerOrdersToday(deps.sql, window, startOfDay(today, timeZone)) : customerOrders(deps.sql, window);
  const [metrics, lifts, hasActivity, activity, funnel, { ordersPerCustomer, customerValue, recency }, orderImport] = await Promise.all([
    engagementMetrics(deps.sql, shop, range, settings.sending.segmentPrice, {
      textsByFlowAndStage: rollups ? () => textsByFlowAndStage(rollups) : undefined,
      customerOrders: () => customers,
      nps: rollups ? () => npsCounts(rollups) : undefined,
    }),
    rollups ? liftsByFlow(rollups) : flowLifts(deps.sql, shop, range),
    shopHasActivity(deps.sql, shop),
    rollups ? activityByBucket(rollups, window) : activityOverTime(deps.sql, window),
    stageFunnel(deps.sql, window),
    customers,
    readOrderImportProgress(deps.sql, shop),
  ]);
  const totals = metrics.byFlowAndStage.reduce(
    (sum, row) => ({
      sent: sum.sent + row.sent,
      delivered: sum.delivered + row.delivered,
      clicked: sum.clicked + row.clicked,
      converted: sum.converted + row.converted,
      recoveredRevenue: sum.recoveredRevenue + row.recoveredRevenue,
    }),
    { sent: 0, delivered: 0, clicked: 0, converted: 0, recoveredRevenue: 0 },
  );
  const rate = (part: number) => (totals.sent ? part / totals.sent : null);
  // Every flow with a control group: held out now, or with held-out shoppers in the period.
  // A switched-off flow shows only if it held shoppers out in the period.
  const enabled = (flow: (typeof LIFT_FLOWS)[number]) => settings.journey[FLOW_LIST.find((f) => f.id === flow)!.settingsKey].enabled;
  const liftByFlow = LIFT_FLOWS.map((flow) => ({ flow, holdoutPercent: settings.journey.holdoutPercent[flow], lift: lifts[flow] })).filter(
    (f) => (f.holdoutPercent > 0 && enabled(f.flow)) || f.lift.control.shoppers > 0,
  );
  const segmentsOf = (flow: string) => metrics.byFlowAndStage.filter((r) => r.flow === flow).reduce((sum, r) => sum + r.segments, 0);
  const roi = honestRoi(
    LIFT_FLOWS.map((flow) => {
      const lift = lifts[flow];
      return { flow, incrementalRevenue: lift.status === "ok" ? lift.incrementalRevenue : null, segments: segmentsOf(flow) };
    }),
    settings.sending.segmentPrice,
  );
  return {
    period,
    today,
    timeZone,
    notice,
    currency: shopRow?.currency ?? "USD",
    hasActivity,
    metrics,
    liftByFlow,
    roi,
    orderImport,
    series: { activity, funnel, ordersPerCustomer, customerValue, recency },
    totals: {
      ...totals,
      deliveryRate: rate(totals.delivered),
      clickRate: rate(totals.clicked),
      conversionRate: rate(totals.converted),
    },
    checklist: {
      twilioConnected: deps.twilioFromEnv || readTwilioCredentials(shopRow?.settings, deps.encryptionKey) !== null,
      popupLive: shopRow?.popup_live ?? false,
      firstTextSent: shopRow?.first_text_sent ?? false,
    },
  };
}

export type Dashboard = Awaited<ReturnType<typeof loadDashboard>>;
