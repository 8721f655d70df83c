import { campaignResults } from "../campaigns/results.server";
import type { SqlDriver } from "../db/sql-driver.server";
import { periodInstants, type Period } from "./period";

/** At most this many campaigns on the dashboard; the rest are on /app/campaigns. */
const DASHBOARD_CAMPAIGNS = 5;

export interface PeriodCampaign {
  id: string;
  name: string;
  status: string;
  sentAt: Date;
  sent: number;
  revenue: number;
  /** Percentage points over the control group with its 95 % interval, or null while there isn't enough data. */
  lift: { difference: number; lower: number; upper: number } | null;
}

/**
 * The campaigns fanned out in the dashboard's period (whole days in the shop's zone), newest
 * first, each with its texts sent, revenue attributed and lift against its control group
 * (app/campaigns/results.server.ts, the campaign page's own figures).
 */
export async function periodCampaigns(sql: SqlDriver, shop: string, period: Pick<Period, "from" | "to">): Promise<PeriodCampaign[]> {
  const [row] = await sql.query<{ timezone: string }>("SELECT timezone FROM shop WHERE domain = $1", [shop]);
  const range = periodInstants(period, row?.timezone ?? "UTC");
  const campaigns = await sql.query<{ id: string; name: string; status: string; fanned_out_at: Date }>(
    `SELECT id, name, status, fanned_out_at FROM campaign
     WHERE shop = $1 AND fanned_out_at >= $2 AND fanned_out_at < $3 ORDER BY fanned_out_at DESC LIMIT $4`,
    [shop, range.from, range.to, DASHBOARD_CAMPAIGNS],
  );
  return Promise.all(
    campaigns.map(async (c) => {
      const results = await campaignResults(sql, shop, c.id);
      return {
        id: c.id,
        name: c.name,
        status: c.status,
        sentAt: c.fanned_out_at,
        sent: results.sent,
        revenue: results.revenue,
        lift: results.lift.status === "ok" ? results.lift.lift : null,
      };
    }),
  );
}
