import type { PrismaClient } from "@prisma/client";
import type { SqlDriver } from "../db/sql-driver.server";
import { cartRecoveryLift } from "./holdout-lift.server";
import { engagementMetrics } from "./engagement-metrics.server";
import { readShopSettings } from "./shops.server";
import { readTwilioCredentials } from "./twilio-credentials.server";

/** Everything the dashboard shows for a shop and period, from aggregates. */
export async function loadDashboard(
  deps: { prisma: PrismaClient; sql: SqlDriver; twilioFromEnv: boolean; encryptionKey: Buffer | null },
  shop: string,
  range: { from: Date; to: Date },
) {
  const shopRow = await deps.prisma.shop.findUnique({ where: { domain: shop }, select: { settings: true } });
  const settings = readShopSettings(shop, shopRow?.settings);
  const [metrics, lift, popupSignups] = await Promise.all([
    engagementMetrics(deps.sql, shop, range, settings.sending.segmentPrice),
    cartRecoveryLift(deps.sql, shop, range),
    deps.prisma.consent.count({ where: { shop, source: "popup" } }),
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
  return {
    metrics,
    lift,
    totals: {
      ...totals,
      deliveryRate: rate(totals.delivered),
      clickRate: rate(totals.clicked),
      conversionRate: rate(totals.converted),
      roi: metrics.estimatedCost > 0 ? totals.recoveredRevenue / metrics.estimatedCost : null,
    },
    checklist: {
      twilioConnected: deps.twilioFromEnv || readTwilioCredentials(shopRow?.settings, deps.encryptionKey) !== null,
      popupLive: popupSignups > 0,
      firstTextSent: totals.sent > 0 || (await deps.prisma.scheduledMessage.count({ where: { shop, status: "sent" } })) > 0,
    },
  };
}
