import type { OptInLevel, SmsMarketingState } from "../adapters/shopify-consent.server";
import type { SqlTx } from "../db/sql-driver.server";

/** A consent change Shopify's customer record should hear about. */
export interface ConsentChange {
  state: SmsMarketingState;
  /** For a subscription: single, or confirmed by the shopper's "Y" (double opt-in). */
  optInLevel: OptInLevel | null;
  at: Date;
}

/**
 * Queues the change for Shopify in the caller's transaction, beside the change itself, so a
 * crash can't keep one without the other. Only shoppers linked to a Shopify customer have a
 * record there to update. One row per shopper: a later change replaces a pending or finished
 * one (and starts its attempts afresh), an earlier one arriving late is ignored; an opt-out wins
 * a tie, as in the consent log (app/journey/state.ts consentStatus).
 */
export async function queueConsentSync(tx: SqlTx, shop: string, shopperId: string, change: ConsentChange): Promise<void> {
  await tx.query(
    `INSERT INTO consent_sync AS c (shop, shopper_id, customer_id, state, opt_in_level, consent_updated_at, next_attempt_at)
     SELECT s.shop, s.id, s.customer_id, $3, $4, $5, $5 FROM shopper s
     WHERE s.shop = $1 AND s.id = $2 AND s.customer_id IS NOT NULL
     ON CONFLICT (shop, shopper_id) DO UPDATE SET
       customer_id = EXCLUDED.customer_id, state = EXCLUDED.state, opt_in_level = EXCLUDED.opt_in_level,
       consent_updated_at = EXCLUDED.consent_updated_at, revision = c.revision + 1, status = 'pending', attempts = 0,
       next_attempt_at = EXCLUDED.next_attempt_at, last_error = NULL, claimed_by = NULL, claimed_at = NULL, synced_at = NULL, updated_at = now()
     WHERE EXCLUDED.consent_updated_at > c.consent_updated_at
        OR (EXCLUDED.consent_updated_at = c.consent_updated_at AND EXCLUDED.state = 'UNSUBSCRIBED')`,
    [shop, shopperId, change.state, change.state === "SUBSCRIBED" ? change.optInLevel : null, change.at],
  );
}

/**
 * Puts parked consent changes (status 'failed': out of attempts, or refused by Shopify) back in
 * the queue with fresh attempts, for one shop or every installed one: what an operator runs
 * once the cause the doctor named is fixed (`npm run nudge -- consent-sync retry`). Returns how
 * many were re-queued.
 */
export async function retryParkedConsentSync(tx: SqlTx, options: { shop?: string; now: Date }): Promise<number> {
  const rows = await tx.query(
    `UPDATE consent_sync c SET status = 'pending', attempts = 0, next_attempt_at = $2, claimed_by = NULL, claimed_at = NULL, updated_at = now()
     FROM shop s
     WHERE s.domain = c.shop AND s.uninstalled_at IS NULL AND c.status = 'failed' AND ($1::text IS NULL OR c.shop = $1)
     RETURNING c.shopper_id`,
    [options.shop ?? null, options.now],
  );
  return rows.length;
}
