import { clock } from "../clock.server";
import { database } from "../db.server";
import type { SqlTx } from "../db/sql-driver.server";

/** How far back the import reads: a year of orders gives CLV, repeat rate and recency their footing. */
const HISTORY_MONTHS = 12;

/**
 * Queues the shop's order-history import (afterAuth, on every install). Once per install: an
 * import that is queued, under way or done is left alone; one stopped by an uninstall starts
 * over, and being idempotent it re-reads what it already had and fills the gap.
 */
export async function queueOrderImport(sql: SqlTx, shop: string, now: Date): Promise<void> {
  const since = new Date(now);
  since.setUTCMonth(since.getUTCMonth() - HISTORY_MONTHS);
  await sql.query(
    `INSERT INTO order_import (shop, status, since, started_at, updated_at) VALUES ($1, 'pending', $2, $3, $3)
     ON CONFLICT (shop) DO UPDATE SET status = 'pending', since = EXCLUDED.since, bulk_operation_id = NULL, result_url = NULL,
       lines_done = 0, orders_imported = 0, orders_expected = NULL, attempts = 0, claimed_by = NULL, claimed_at = NULL,
       last_error = NULL, started_at = EXCLUDED.started_at, finished_at = NULL, updated_at = EXCLUDED.updated_at
     WHERE order_import.status = 'stopped'`,
    [shop, since, now],
  );
}

/** queueOrderImport on the app's database and clock: the one line afterAuth needs. */
export async function enqueueOrderImport(shop: string): Promise<void> {
  await queueOrderImport((await database()).sql, shop, clock.now());
}

/** app/uninstalled: the import stops (a worker mid-batch loses its claim and writes nothing more). */
export async function stopOrderImport(tx: SqlTx, shop: string, now: Date): Promise<void> {
  await tx.query(`UPDATE order_import SET status = 'stopped', claimed_by = NULL, claimed_at = NULL, updated_at = $2 WHERE shop = $1 AND status <> 'done'`, [shop, now]);
}
