import type { SqlDriver } from "../db/sql-driver.server";
import type { ClaimedUsageCharge } from "./claim.server";
import type { UsageChargeOutcome } from "./charge-outcome";
import { markSpendingLimit } from "./plan-state.server";

/** Stores one attempt's outcome; a charge refused for the cap also puts the shop's texts on hold. */
export async function recordUsageChargeOutcome(sql: SqlDriver, row: ClaimedUsageCharge, outcome: UsageChargeOutcome, now: Date): Promise<void> {
  if (outcome.status === "charged") {
    await sql.query(`UPDATE usage_charge SET status = 'charged', usage_record_id = $2, charged_at = $3, last_error = NULL, claimed_by = NULL, updated_at = now() WHERE message_id = $1`, [
      row.message_id,
      outcome.recordId,
      now,
    ]);
  } else if (outcome.status === "held") {
    await sql.transaction(async (tx) => {
      // Not counted: waiting for the merchant's cap is not the charge failing.
      await tx.query(`UPDATE usage_charge SET status = 'held', attempts = attempts - 1, last_error = $2, claimed_by = NULL, updated_at = now() WHERE message_id = $1`, [
        row.message_id,
        outcome.lastError.slice(0, 1000),
      ]);
      await markSpendingLimit(tx, row.shop, now);
    });
  } else if (outcome.status === "failed") {
    await sql.query(`UPDATE usage_charge SET status = 'failed', last_error = $2, claimed_by = NULL, updated_at = now() WHERE message_id = $1`, [row.message_id, outcome.lastError.slice(0, 1000)]);
  } else {
    await sql.query(`UPDATE usage_charge SET next_attempt_at = $2, last_error = $3, attempts = attempts - $4, claimed_by = NULL, updated_at = now() WHERE message_id = $1`, [
      row.message_id,
      outcome.nextAttemptAt,
      outcome.lastError.slice(0, 1000),
      outcome.countAttempt ? 0 : 1,
    ]);
  }
}
