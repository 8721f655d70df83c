import type { SegmentMembers } from "../adapters/shopify-segments.server";
import type { SqlTx } from "../db/sql-driver.server";
import { audienceCondition, sqlParams, SENDABLE, type Audience } from "./audience";
import { readRfmThresholds, type RfmThresholds } from "./rfm";

/** Who an audience reaches, and who it leaves out and why. */
export interface Reach {
  /** Recorded consent and a phone: the texts the fan-out would enqueue. */
  sendable: number;
  /** Replied STOP or were unsubscribed (Shopify, the merchant, the carrier). */
  optedOut: number;
  /** No recorded consent: never subscribed, or a sign-up not yet confirmed. */
  noConsent: number;
  /** Consent but no phone number on file. */
  noPhone: number;
  /** Of the sendable, texted within the smart-sending hours: the dispatcher will skip them. */
  recentlyTexted: number;
  /**
   * A Shopify segment's members Nudge has never seen (no shopper by that customer id or phone):
   * no consent recorded by Nudge, so never texted, whatever Shopify says. Only for segments.
   */
  unknown?: number;
}

/** The shop's RFM thresholds (shop.settings.campaigns.rfm), defaults filled in. */
export async function shopRfmThresholds(tx: SqlTx, shop: string): Promise<RfmThresholds> {
  const [row] = await tx.query<{ rfm: unknown }>("SELECT settings -> 'campaigns' -> 'rfm' AS rfm FROM shop WHERE domain = $1", [shop]);
  return readRfmThresholds(row?.rfm);
}

/**
 * The audience's reach in one scan of the shop's shoppers: the sendable set (exactly what the
 * fan-out enqueues) and everyone else it names, by the reason they are left out. Erased
 * (redacted) shoppers are in no audience.
 */
export async function audienceReach(tx: SqlTx, shop: string, audience: Audience, now: Date, smartSendingHours: number, rfm?: RfmThresholds, members?: SegmentMembers): Promise<Reach> {
  const thresholds = rfm ?? (await shopRfmThresholds(tx, shop));
  const { params, param } = sqlParams(shop);
  const condition = audienceCondition(audience, now, thresholds, param, members);
  const since = param(new Date(now.getTime() - smartSendingHours * 3_600_000));
  const [row] = await tx.query<Reach>(
    `SELECT count(*) FILTER (WHERE ${SENDABLE})::int AS "sendable",
            count(*) FILTER (WHERE s.consent = 'revoked')::int AS "optedOut",
            count(*) FILTER (WHERE s.consent IN ('none', 'pending'))::int AS "noConsent",
            count(*) FILTER (WHERE s.consent = 'granted' AND s.phone IS NULL)::int AS "noPhone",
            count(*) FILTER (WHERE ${SENDABLE} AND ${smartSendingHours > 0 ? "TRUE" : "FALSE"} AND EXISTS (
              SELECT 1 FROM scheduled_message m WHERE m.shop = $1 AND m.shopper_id = s.id AND m.status = 'sent'
                AND m.flow <> 'confirm_optin' AND m.sent_at > ${since}::timestamptz))::int AS "recentlyTexted"
     FROM shopper s
     WHERE s.shop = $1 AND s.consent <> 'redacted' AND ${condition}`,
    params,
  );
  return audience.kind === "segment" && members ? { ...row!, unknown: await unknownMembers(tx, shop, members) } : row!;
}

/** How many of a segment's members match no shopper of the shop (by customer id or phone), in one scan of the staged arrays. */
async function unknownMembers(tx: SqlTx, shop: string, members: SegmentMembers): Promise<number> {
  const [row] = await tx.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM unnest($2::text[], $3::text[]) AS m(customer_id, phone)
     WHERE NOT EXISTS (SELECT 1 FROM shopper s WHERE s.shop = $1 AND s.consent <> 'redacted' AND s.customer_id = m.customer_id)
       AND (m.phone IS NULL OR NOT EXISTS (SELECT 1 FROM shopper s WHERE s.shop = $1 AND s.consent <> 'redacted' AND s.phone = m.phone))`,
    [shop, members.customerIds, members.phones],
  );
  return row!.n;
}
