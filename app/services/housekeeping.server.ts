import type { SqlDriver } from "../db/sql-driver.server";

/**
 * Forgets webhook ids old enough that Shopify can no longer redeliver them (it retries for
 * up to 48 hours; we keep a week). Returns how many were removed.
 */
export async function pruneWebhookReceipts(sql: SqlDriver, keepDays = 7): Promise<number> {
  const removed = await sql.query("DELETE FROM webhook_receipt WHERE received_at < now() - make_interval(days => $1) RETURNING webhook_id", [keepDays]);
  return removed.length;
}
