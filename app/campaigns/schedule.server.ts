import type { SegmentMembers } from "../adapters/shopify-segments.server";
import type { SqlDriver } from "../db/sql-driver.server";
import { log } from "../lib/log.server";
import { AudienceSchema } from "./audience";
import { fanOutCampaign } from "./fan-out.server";
import { backgroundSegmentReader, type SegmentMemberReader } from "./segment-audience.server";

/** A segment campaign whose members Shopify couldn't give waits this long before the next try. */
const SEGMENT_RETRY_MS = 60_000;
const segmentRetryAt = new Map<string, number>();

/**
 * Fans out the scheduled campaigns that are due, each in its own transaction (a campaign's
 * recipients are still one INSERT … SELECT). fanOutCampaign locks the campaign and only takes
 * a scheduled one, so two workers racing here, or a cancel, can't enqueue it twice. The texts
 * are due at the campaign's send time; the dispatcher picks them up on its next claim. A
 * Shopify segment's members are read first, outside the transaction; when Shopify can't give
 * them the campaign stays scheduled and is tried again a minute later.
 */
export async function fanOutDueCampaigns(sql: SqlDriver, now: Date, limit = 10, readMembers: SegmentMemberReader = backgroundSegmentReader(sql)): Promise<number> {
  const due = await sql.query<{ id: string; shop: string; send_at: Date; audience: unknown }>(
    `SELECT id, shop, send_at, audience FROM campaign WHERE status = 'scheduled' AND send_at <= $1 ORDER BY send_at LIMIT $2`,
    [now, limit],
  );
  let fannedOut = 0;
  for (const campaign of due) {
    const audience = AudienceSchema.safeParse(campaign.audience);
    let members: SegmentMembers | undefined;
    if (audience.success && audience.data.kind === "segment") {
      if ((segmentRetryAt.get(campaign.id) ?? 0) > Date.now()) continue;
      const read = await readMembers(campaign.shop, audience.data.id);
      if (!read.ok) {
        segmentRetryAt.set(campaign.id, Date.now() + SEGMENT_RETRY_MS);
        log.warn("scheduled campaign waits: its Shopify segment could not be read", { shop: campaign.shop, campaignId: campaign.id, reason: read.message });
        continue;
      }
      segmentRetryAt.delete(campaign.id);
      members = read.value;
    }
    const result = await sql.transaction((tx) => fanOutCampaign(tx, campaign.shop, campaign.id, now, new Date(campaign.send_at), members));
    if (result) {
      fannedOut++;
      log.info("scheduled campaign fanned out", { shop: campaign.shop, campaignId: campaign.id, recipients: result.recipients });
    }
  }
  return fannedOut;
}

export type CampaignChange = "pause" | "resume" | "cancel";

/**
 * Pauses, resumes or cancels a campaign, with no text sent twice. The campaign row is locked
 * first: that waits for any chunk sending its texts (which holds the row shared), so the
 * outbox rows changed next are settled. Pausing parks its scheduled texts (`paused` is never
 * claimed); a text claimed before the pause sees the paused campaign in its guard and waits.
 * Resuming puts parked texts (and ones that waited) back, due now at the earliest. Cancelling
 * a scheduled campaign means it is never fanned out; a sending or paused one cancels what is
 * left. Sent texts are never touched. Returns the new status, or null when the change doesn't
 * apply to the campaign's status.
 */
export async function changeCampaign(sql: SqlDriver, shop: string, id: string, change: CampaignChange, now: Date): Promise<string | null> {
  const from: Record<CampaignChange, string[]> = { pause: ["sending"], resume: ["paused"], cancel: ["scheduled", "sending", "paused"] };
  const to: Record<CampaignChange, string> = { pause: "paused", resume: "sending", cancel: "cancelled" };
  return sql.transaction(async (tx) => {
    const [row] = await tx.query<{ status: string }>("SELECT status FROM campaign WHERE shop = $1 AND id = $2 FOR UPDATE", [shop, id]);
    if (!row || !from[change].includes(row.status)) return null;
    await tx.query("UPDATE campaign SET status = $3, updated_at = now() WHERE shop = $1 AND id = $2", [shop, id, to[change]]);
    if (change === "pause") {
      await tx.query(
        `UPDATE scheduled_message SET status = 'paused', reason = 'campaign_paused', updated_at = now()
         WHERE shop = $1 AND campaign_id = $2 AND status = 'scheduled'`,
        [shop, id],
      );
    } else if (change === "resume") {
      await tx.query(
        `UPDATE scheduled_message SET status = 'scheduled', reason = NULL, due_at = GREATEST(due_at, $3), updated_at = now()
         WHERE shop = $1 AND campaign_id = $2 AND (status = 'paused' OR (status = 'scheduled' AND reason = 'campaign_paused'))`,
        [shop, id, now],
      );
    } else {
      await tx.query(
        `UPDATE scheduled_message SET status = 'cancelled', reason = 'campaign_cancelled', updated_at = now()
         WHERE shop = $1 AND campaign_id = $2 AND status IN ('scheduled', 'paused')`,
        [shop, id],
      );
    }
    return to[change];
  });
}
