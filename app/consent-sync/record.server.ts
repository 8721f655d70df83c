import type { SqlDriver } from "../db/sql-driver.server";
import type { ClaimedConsentSync } from "./claim.server";
import type { ConsentSyncOutcome } from "./retry";

/**
 * Stores one attempt's outcome, only over the revision that was pushed: a change made while
 * the push was in flight stays pending and is sent in its turn. A row the claim left to its
 * lease (a dead worker) simply comes due again.
 */
export async function recordConsentSyncOutcome(sql: SqlDriver, row: ClaimedConsentSync, outcome: ConsentSyncOutcome, now: Date): Promise<void> {
  const key = [row.shop, row.shopper_id, row.revision];
  if (outcome.status === "synced") {
    await sql.query(
      `UPDATE consent_sync SET status = 'synced', synced_at = $4, last_error = NULL, claimed_by = NULL, updated_at = now()
       WHERE shop = $1 AND shopper_id = $2 AND revision = $3`,
      [...key, now],
    );
  } else if (outcome.status === "failed") {
    await sql.query(
      `UPDATE consent_sync SET status = 'failed', last_error = $4, claimed_by = NULL, updated_at = now()
       WHERE shop = $1 AND shopper_id = $2 AND revision = $3`,
      [...key, outcome.lastError.slice(0, 1000)],
    );
  } else {
    await sql.query(
      `UPDATE consent_sync SET next_attempt_at = $4, last_error = $5, attempts = attempts - $6, claimed_by = NULL, updated_at = now()
       WHERE shop = $1 AND shopper_id = $2 AND revision = $3`,
      [...key, outcome.nextAttemptAt, outcome.lastError.slice(0, 1000), outcome.countAttempt ? 0 : 1],
    );
  }
}
