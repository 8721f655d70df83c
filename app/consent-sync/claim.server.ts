import type { OptInLevel, SmsMarketingState } from "../adapters/shopify-consent.server";
import type { SqlDriver } from "../db/sql-driver.server";

export interface ClaimedConsentSync {
  shop: string;
  shopper_id: string;
  customer_id: string;
  state: SmsMarketingState;
  opt_in_level: OptInLevel | null;
  consent_updated_at: Date;
  revision: number;
  /** Including this one. */
  attempts: number;
}

/**
 * Claims up to `limit` due consent changes in one statement (the dispatcher's pattern,
 * app/dispatch/claim.server.ts): FOR UPDATE SKIP LOCKED so concurrent workers take different
 * rows, then the holder and time are stamped and the attempt counted. next_attempt_at moves a
 * lease ahead: if this worker dies mid-push, the row is due again then and another worker sends
 * it (sending a consent state twice is harmless; losing a STOP is not). Shops that must
 * re-authorise, or are uninstalled, are skipped: their rows wait, uncounted, until the flag
 * clears (the merchant reopens the app) and then go at once.
 */
export async function claimDueConsentSyncs(sql: SqlDriver, options: { now: Date; limit: number; workerId: string; leaseMs: number }): Promise<ClaimedConsentSync[]> {
  return sql.query<ClaimedConsentSync>(
    `UPDATE consent_sync AS c
     SET claimed_by = $2, claimed_at = $1, attempts = c.attempts + 1,
         next_attempt_at = $1::timestamptz + make_interval(secs => $4 / 1000.0), updated_at = now()
     WHERE (c.shop, c.shopper_id) IN (
       SELECT cs.shop, cs.shopper_id FROM consent_sync cs JOIN shop sh ON sh.domain = cs.shop
       WHERE cs.status = 'pending' AND cs.next_attempt_at <= $1
         AND sh.reauth_needed_at IS NULL AND sh.uninstalled_at IS NULL
       ORDER BY cs.next_attempt_at
       LIMIT $3
       FOR UPDATE OF cs SKIP LOCKED)
     RETURNING c.shop, c.shopper_id, c.customer_id, c.state, c.opt_in_level, c.consent_updated_at, c.revision, c.attempts`,
    [options.now, options.workerId, options.limit, options.leaseMs],
  );
}
