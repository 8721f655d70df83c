import { PHONE_GEO_PREFIX_SQL, phoneGeo } from "../adapters/phone-geo.server";
import type { SegmentMembers } from "../adapters/shopify-segments.server";
import type { SqlTx } from "../db/sql-driver.server";
import { audienceCondition, AudienceSchema, sqlParams, SENDABLE } from "./audience";
import { audienceReach, shopRfmThresholds, type Reach } from "./reach.server";

export interface FanOutResult {
  recipients: number;
  leftOut: Pick<Reach, "optedOut" | "noConsent" | "noPhone" | "unknown">;
}

/**
 * Enqueues a campaign's texts: one outbox row per sendable shopper of its audience, in one
 * INSERT … SELECT (never a loop of inserts), due at `dueAt`. The row is keyed campaign:<id>
 * per shopper, so a repeated fan-out adds nothing. Only a draft or scheduled campaign is fanned
 * out, and it becomes `sending` in the same transaction: two clicks on "Send now" (or the
 * scheduler and a click) can't enqueue it twice. Returns null when the campaign was not in a
 * state to send. Shoppers without recorded consent are never enqueued (SENDABLE); the
 * dispatcher still checks each one's consent log, quiet hours, caps and smart sending.
 *
 * A Shopify segment's `members` (read from Shopify before the transaction) are matched in the
 * same statement. A campaign with a local time ("10:00") is due at that time in each
 * recipient's zone instead of `dueAt` (localDueAt).
 */
export async function fanOutCampaign(tx: SqlTx, shop: string, campaignId: string, now: Date, dueAt: Date, members?: SegmentMembers): Promise<FanOutResult | null> {
  const [campaign] = await tx.query<{ audience: unknown; discount_percent: number | null; discount_expiry_hours: number; local_time: string | null }>(
    `SELECT audience, discount_percent, discount_expiry_hours, local_time FROM campaign
     WHERE shop = $1 AND id = $2 AND status IN ('draft', 'scheduled') FOR UPDATE`,
    [shop, campaignId],
  );
  if (!campaign) return null;
  const audience = AudienceSchema.parse(campaign.audience);
  const rfm = await shopRfmThresholds(tx, shop);
  const reach = await audienceReach(tx, shop, audience, now, 0, rfm, members);

  const discount = campaign.discount_percent ? JSON.stringify({ percent: campaign.discount_percent, expiresInHours: campaign.discount_expiry_hours }) : null;
  const { params, param } = sqlParams(shop, campaignId, `campaign:${campaignId}`, dueAt, discount);
  const conditionWith = (add: (value: unknown) => string) => audienceCondition(audience, now, rfm, add, members);
  const condition = conditionWith(param);
  const local = campaign.local_time ? await localDueAt(tx, shop, campaign.local_time, now, conditionWith, param) : null;
  const [inserted] = await tx.query<{ n: number }>(
    `WITH enqueued AS (
       INSERT INTO scheduled_message (shop, shopper_id, dedupe_key, flow, step, due_at, discount, campaign_id, status, updated_at)
       SELECT $1, s.id, $3, 'campaign', 1, ${local?.due ?? "$4::timestamptz"}, $5::jsonb, $2::uuid, 'scheduled', now()
       FROM shopper s ${local?.join ?? ""}
       WHERE s.shop = $1 AND s.consent <> 'redacted' AND ${SENDABLE} AND ${condition}
       ON CONFLICT (shop, shopper_id, dedupe_key) DO NOTHING
       RETURNING 1)
     SELECT count(*)::int AS n FROM enqueued`,
    params,
  );
  const leftOut: FanOutResult["leftOut"] = { optedOut: reach.optedOut, noConsent: reach.noConsent, noPhone: reach.noPhone, ...(reach.unknown !== undefined ? { unknown: reach.unknown } : {}) };
  const result: FanOutResult = { recipients: inserted!.n, leftOut };
  await tx.query(
    `UPDATE campaign SET status = 'sending', recipients = $3, left_out = $4::jsonb, fanned_out_at = $5, updated_at = now()
     WHERE shop = $1 AND id = $2`,
    [shop, campaignId, result.recipients, JSON.stringify(result.leftOut), now],
  );
  return result;
}

/**
 * Each recipient's due instant for "HH:MM in their time zone", as SQL on `s`: the next HH:MM
 * at or after `now` in the recipient's zone, so a recipient whose HH:MM has already passed
 * today gets it the next day (docs/decisions/021-campaigns.md). The zone is the one quiet
 * hours use: the phone's (phoneGeo, read once per number prefix of the audience's sendable
 * shoppers), else the shop's. PostgreSQL's AT TIME ZONE does the arithmetic, DST included.
 */
async function localDueAt(tx: SqlTx, shop: string, localTime: string, now: Date, conditionWith: (param: (value: unknown) => string) => string, param: (value: unknown) => string) {
  const own = sqlParams(shop);
  const prefixes = await tx.query<{ prefix: string; phone: string }>(
    `SELECT ${PHONE_GEO_PREFIX_SQL} AS prefix, min(s.phone) AS phone FROM shopper s
     WHERE s.shop = $1 AND s.consent <> 'redacted' AND ${SENDABLE} AND ${conditionWith(own.param)} GROUP BY 1`,
    own.params,
  );
  const zones = await Promise.all(prefixes.map(async (p) => ({ prefix: p.prefix, zone: (await phoneGeo(p.phone)).timeZone })));
  const known = zones.filter((z): z is { prefix: string; zone: string } => z.zone !== null);
  const [row] = await tx.query<{ timezone: string }>("SELECT timezone FROM shop WHERE domain = $1", [shop]);
  const at = `${param(now)}::timestamptz`;
  const time = `${param(localTime)}::time`;
  return {
    join: `LEFT JOIN unnest(${param(known.map((z) => z.prefix))}::text[], ${param(known.map((z) => z.zone))}::text[]) AS z(prefix, zone) ON z.prefix = ${PHONE_GEO_PREFIX_SQL}
           CROSS JOIN LATERAL (SELECT COALESCE(z.zone, ${param(row?.timezone ?? "UTC")}) AS name) AS tz
           CROSS JOIN LATERAL (SELECT ((${at} AT TIME ZONE tz.name)::date + ${time}) AT TIME ZONE tz.name AS today,
                                      ((${at} AT TIME ZONE tz.name)::date + 1 + ${time}) AT TIME ZONE tz.name AS tomorrow) AS lt`,
    // Never before the campaign's own time ($4).
    due: `GREATEST(CASE WHEN lt.today >= ${at} THEN lt.today ELSE lt.tomorrow END, $4::timestamptz)`,
  };
}
