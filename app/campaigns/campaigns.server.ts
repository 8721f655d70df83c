import type { SegmentMembers } from "../adapters/shopify-segments.server";
import type { SqlDriver, SqlTx } from "../db/sql-driver.server";
import type { Audience } from "./audience";
import { localSendWindow, type CampaignDraft } from "./campaign-draft";
import { fanOutCampaign, type FanOutResult } from "./fan-out.server";

export type CampaignStatus = "draft" | "scheduled" | "sending" | "paused" | "sent" | "cancelled";

export interface CampaignSummary {
  id: string;
  name: string;
  message: string;
  audience: Audience;
  status: CampaignStatus;
  discountPercent: number | null;
  smartSendingHours: number;
  controlPercent: number;
  sendAt: Date | null;
  /** "HH:MM" in each recipient's zone, or null for one instant. */
  localTime: string | null;
  recipients: number | null;
  leftOut: FanOutResult["leftOut"] | null;
  fannedOutAt: Date | null;
  createdAt: Date;
}

const COLUMNS = `id, name, message, audience, status, discount_percent AS "discountPercent", smart_sending_hours AS "smartSendingHours",
  control_percent AS "controlPercent", send_at AS "sendAt", local_time AS "localTime", recipients, left_out AS "leftOut", fanned_out_at AS "fannedOutAt", created_at AS "createdAt"`;

async function insertCampaign(tx: SqlTx, shop: string, draft: CampaignDraft, status: "draft" | "scheduled", sendAt: Date | null, localTime: string | null = null): Promise<string> {
  const [row] = await tx.query<{ id: string }>(
    `INSERT INTO campaign (shop, name, message, audience, discount_percent, discount_expiry_hours, link, smart_sending_hours, control_percent, status, send_at, local_time)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
    [
      shop,
      draft.name,
      draft.message,
      JSON.stringify(draft.audience),
      draft.discountPercent,
      draft.discountExpiryHours,
      draft.link,
      draft.smartSendingHours,
      draft.controlPercent,
      status,
      sendAt,
      localTime,
    ],
  );
  return row!.id;
}

/**
 * Saves the campaign and enqueues its texts at once, in one transaction: the campaign is never
 * recorded as sent without its recipients, nor its recipients without it.
 */
export async function sendCampaignNow(sql: SqlDriver, shop: string, draft: CampaignDraft, now: Date, members?: SegmentMembers): Promise<{ id: string; fanOut: FanOutResult }> {
  return sql.transaction(async (tx) => {
    const id = await insertCampaign(tx, shop, draft, "draft", null);
    const fanOut = (await fanOutCampaign(tx, shop, id, now, now, members))!;
    return { id, fanOut };
  });
}

/**
 * Saves a campaign to be fanned out at `sendAt` by the worker (schedule.server.ts). A
 * local-time one (draft.localSendAt) is fanned out where that wall-clock time comes first.
 */
export async function scheduleCampaign(sql: SqlDriver, shop: string, draft: CampaignDraft, sendAt: Date): Promise<string> {
  const local = draft.localSendAt ? localSendWindow(draft.localSendAt) : null;
  return sql.transaction((tx) => insertCampaign(tx, shop, draft, "scheduled", local?.first ?? sendAt, local?.time ?? null));
}

export async function listCampaigns(sql: SqlDriver, shop: string): Promise<CampaignSummary[]> {
  const rows = await sql.query<CampaignSummary>(`SELECT ${COLUMNS} FROM campaign WHERE shop = $1 ORDER BY created_at DESC LIMIT 100`, [shop]);
  return Promise.all(rows.map(async (r) => ({ ...r, status: await settledStatus(sql, shop, r) })));
}

export async function loadCampaign(sql: SqlDriver, shop: string, id: string): Promise<CampaignSummary | null> {
  const [row] = await sql.query<CampaignSummary>(`SELECT ${COLUMNS} FROM campaign WHERE shop = $1 AND id = $2`, [shop, id]);
  return row ? { ...row, status: await settledStatus(sql, shop, row) } : null;
}

/**
 * A sending campaign whose texts have all been decided (sent, skipped or failed) is sent: the
 * row is moved on the first read that finds nothing left, so the status needs no worker of its own.
 */
async function settledStatus(sql: SqlDriver, shop: string, campaign: CampaignSummary): Promise<CampaignStatus> {
  if (campaign.status !== "sending") return campaign.status;
  const [row] = await sql.query<{ id: string }>(
    `UPDATE campaign c SET status = 'sent', updated_at = now()
     WHERE c.shop = $1 AND c.id = $2 AND c.status = 'sending'
       AND NOT EXISTS (SELECT 1 FROM scheduled_message m WHERE m.campaign_id = c.id AND m.status IN ('scheduled', 'sending', 'paused'))
     RETURNING c.id`,
    [shop, campaign.id],
  );
  return row ? "sent" : "sending";
}
