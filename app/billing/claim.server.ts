import type { SqlDriver } from "../db/sql-driver.server";

export interface ClaimedUsageCharge {
  message_id: string;
  shop: string;
  segments: number;
  amount: string;
  currency: string;
  idempotency_key: string;
  line_item_id: string | null;
  /** Including this one. */
  attempts: number;
}

/**
 * Claims up to `limit` due charges in one statement, as the consent outbox does
 * (app/consent-sync/claim.server.ts): FOR UPDATE SKIP LOCKED, the holder and time stamped, the
 * attempt counted, next_attempt_at a lease ahead (a worker that dies mid-call leaves the row due
 * again then; the idempotency key makes the repeat harmless). Only shops with an active plan
 * whose token works are taken: the others' charges wait, uncounted.
 */
export async function claimDueUsageCharges(sql: SqlDriver, options: { now: Date; limit: number; workerId: string; leaseMs: number }): Promise<ClaimedUsageCharge[]> {
  return sql.query<ClaimedUsageCharge>(
    `UPDATE usage_charge AS c
     SET claimed_by = $2, claimed_at = $1, attempts = c.attempts + 1,
         next_attempt_at = $1::timestamptz + make_interval(secs => $4 / 1000.0), updated_at = now()
     FROM billing_plan p
     WHERE p.shop = c.shop AND c.message_id IN (
       SELECT uc.message_id FROM usage_charge uc
       JOIN billing_plan bp ON bp.shop = uc.shop AND bp.status = 'ACTIVE'
       JOIN shop sh ON sh.domain = uc.shop
       WHERE uc.status = 'pending' AND uc.next_attempt_at <= $1 AND sh.reauth_needed_at IS NULL
       ORDER BY uc.next_attempt_at
       LIMIT $3
       FOR UPDATE OF uc SKIP LOCKED)
     RETURNING c.message_id, c.shop, c.segments, c.amount::text AS amount, c.currency, c.idempotency_key, p.line_item_id, c.attempts`,
    [options.now, options.workerId, options.limit, options.leaseMs],
  );
}
