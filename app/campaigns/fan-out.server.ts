import type { SqlTx } from "../db/sql-driver.server";
import { audienceCondition, AudienceSchema, sqlParams, SENDABLE } from "./audience";
import { audienceReach, shopRfmThresholds, type Reach } from "./reach.server";

export interface FanOutResult {
  recipients: number;
  leftOut: Pick<Reach, "optedOut" | "noConsent" | "noPhone">;
}

/**
 * Enqueues a campaign's texts: one outbox row per sendable shopper of its audience, in one
 * INSERT … SELECT (never a loop of inserts), due at `dueAt`. The row is keyed campaign:<id>
 * per shopper, so a repeated fan-out adds nothing. Only a draft or scheduled campaign is fanned
 * out, and it becomes `sending` in the same transaction: two clicks on "Send now" (or the
 * scheduler and a click) can't enqueue it twice. Returns null when the campaign was not in a
 * state to send. Shoppers without recorded consent are never enqueued (SENDABLE); the
 * dispatcher still checks each one's consent log, quiet hours, caps and smart sending.
 */
export async function fanOutCampaign(tx: SqlTx, shop: string, campaignId: string, now: Date, dueAt: Date): Promise<FanOutResult | null> {
  const [campaign] = await tx.query<{ audience: unknown; discount_percent: number | null; discount_expiry_hours: number; smart_sending_hours: number }>(
    `SELECT audience, discount_percent, discount_expiry_hours, smart_sending_hours FROM campaign
     WHERE shop = $1 AND id = $2 AND status IN ('draft', 'scheduled') FOR UPDATE`,
    [shop, campaignId],
  );
  if (!campaign) return null;
  const audience = AudienceSchema.parse(campaign.audience);
  const rfm = await shopRfmThresholds(tx, shop);
  const reach = await audienceReach(tx, shop, audience, now, 0, rfm);

  const discount = campaign.discount_percent ? JSON.stringify({ percent: campaign.discount_percent, expiresInHours: campaign.discount_expiry_hours }) : null;
  const { params, param } = sqlParams(shop, campaignId, `campaign:${campaignId}`, dueAt, discount);
  const condition = audienceCondition(audience, now, rfm, param);
  const [inserted] = await tx.query<{ n: number }>(
    `WITH enqueued AS (
       INSERT INTO scheduled_message (shop, shopper_id, dedupe_key, flow, step, due_at, discount, campaign_id, status, updated_at)
       SELECT $1, s.id, $3, 'campaign', 1, $4::timestamptz, $5::jsonb, $2::uuid, 'scheduled', now()
       FROM shopper s
       WHERE s.shop = $1 AND s.consent <> 'redacted' AND ${SENDABLE} AND ${condition}
       ON CONFLICT (shop, shopper_id, dedupe_key) DO NOTHING
       RETURNING 1)
     SELECT count(*)::int AS n FROM enqueued`,
    params,
  );
  const result: FanOutResult = { recipients: inserted!.n, leftOut: { optedOut: reach.optedOut, noConsent: reach.noConsent, noPhone: reach.noPhone } };
  await tx.query(
    `UPDATE campaign SET status = 'sending', recipients = $3, left_out = $4::jsonb, fanned_out_at = $5, updated_at = now()
     WHERE shop = $1 AND id = $2`,
    [shop, campaignId, result.recipients, JSON.stringify(result.leftOut), now],
  );
  return result;
}
