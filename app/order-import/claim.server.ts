import type { SqlTx } from "../db/sql-driver.server";

export interface ClaimedImport {
  shop: string;
  status: string;
  since: Date;
  bulk_operation_id: string | null;
  result_url: string | null;
  lines_done: number;
  orders_imported: number;
  attempts: number;
}

export interface ImportTiming {
  /** A claim older than this belongs to a dead worker; a live one renews it with every batch. */
  leaseMs: number;
  /** After a failure: retryBaseMs, doubling per consecutive failure, at most retryCapMs. */
  retryBaseMs: number;
  retryCapMs: number;
  /** How often to ask Shopify whether a running export has finished. */
  pollMs: number;
}

export const IMPORT_TIMING: ImportTiming = { leaseMs: 120_000, retryBaseMs: 30_000, retryCapMs: 3_600_000, pollMs: 5_000 };

/**
 * Claims one shop's import that is due for work, in one statement (the dispatcher's pattern,
 * app/dispatch/claim.server.ts): FOR UPDATE SKIP LOCKED so two workers never take the same
 * shop, and a claim whose lease ran out (its worker died) can be taken over. `attempts` counts
 * consecutive failures (a step that makes progress resets it), so a shop that must re-authorise,
 * or a Shopify outage, is retried with capped exponential backoff and never given up on.
 */
export async function claimOrderImport(sql: SqlTx, options: { now: Date; workerId: string; timing: ImportTiming }): Promise<ClaimedImport | null> {
  const { leaseMs, retryBaseMs, retryCapMs, pollMs } = options.timing;
  const [row] = await sql.query<ClaimedImport>(
    `UPDATE order_import AS i SET claimed_by = $2, claimed_at = $1
     WHERE i.shop = (
       SELECT shop FROM order_import
       WHERE status IN ('pending', 'running', 'waiting')
         AND (claimed_by IS NULL OR claimed_at < $1::timestamptz - make_interval(secs => $3 / 1000.0))
         AND updated_at <= $1::timestamptz - make_interval(secs => (CASE
               WHEN attempts > 0 THEN LEAST($4 * power(2, LEAST(attempts, 30) - 1), $5)
               WHEN bulk_operation_id IS NOT NULL AND result_url IS NULL THEN $6
               ELSE 0 END) / 1000.0)
       ORDER BY updated_at
       LIMIT 1
       FOR UPDATE SKIP LOCKED)
     RETURNING i.shop, i.status, i.since, i.bulk_operation_id, i.result_url, i.lines_done, i.orders_imported, i.attempts`,
    [options.now, options.workerId, leaseMs, retryBaseMs, retryCapMs, pollMs],
  );
  return row ?? null;
}
