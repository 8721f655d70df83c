import type { SqlDriver, SqlTx } from "../db/sql-driver.server";
import type { InboxFailure } from "./inbox-retry";
import { mentionsCustomer, mentionsCustomerText, type RedactedCustomer } from "./inbox-mentions";

// The webhook inbox's statements (docs/decisions/024-acknowledge-webhooks-first.md), each
// scoped by shop where it reads a shop's rows. The table is webhook_inbox, migration 0012.

/** The NOTIFY channel of webhooks written to the inbox (migration 0012's trigger). */
export const INBOX_CHANNEL = "nudge_inbox";

export type AcceptOutcome = "accepted" | "duplicate" | "not_installed";

export interface InboxWebhook {
  webhookId: string;
  shop: string;
  topic: string;
  body: string;
  now: Date;
}

/**
 * Writes verified webhooks to the inbox, any number in one statement, and says what became of
 * each, in order: written only for a shop we hold (a webhook for any other would be ignored by
 * ingest, so nothing of it is kept), and once per webhook id (a redelivery of a webhook still
 * here, or the second of two in the same call, is a no-op). Whatever it returns, the answer is
 * a 200. Rows are numbered (seq) in the order given, which is arrival order.
 */
export async function acceptWebhooks(sql: SqlDriver, webhooks: readonly InboxWebhook[]): Promise<AcceptOutcome[]> {
  const rows = await sql.query<{ accepted: boolean; installed: boolean }>(
    `WITH given AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[]) WITH ORDINALITY AS g (webhook_id, shop, topic, body, received_at, n)),
     firsts AS (SELECT DISTINCT ON (webhook_id) * FROM given ORDER BY webhook_id, n),
     known AS (SELECT domain FROM shop WHERE domain IN (SELECT shop FROM given)),
     written AS (
       INSERT INTO webhook_inbox (webhook_id, shop, topic, body, received_at, available_at)
       SELECT f.webhook_id, f.shop, f.topic, f.body, f.received_at, f.received_at FROM firsts f JOIN known ON known.domain = f.shop
       ORDER BY f.n
       ON CONFLICT (webhook_id) DO NOTHING RETURNING webhook_id)
     SELECT EXISTS (SELECT 1 FROM written w JOIN firsts f USING (webhook_id) WHERE f.n = g.n) AS accepted,
            EXISTS (SELECT 1 FROM known WHERE known.domain = g.shop) AS installed
     FROM given g ORDER BY g.n`,
    [webhooks.map((w) => w.webhookId), webhooks.map((w) => w.shop), webhooks.map((w) => w.topic), webhooks.map((w) => w.body), webhooks.map((w) => w.now)],
  );
  return rows.map((row) => (row.accepted ? "accepted" : row.installed ? "duplicate" : "not_installed"));
}

export interface ClaimedWebhook {
  webhook_id: string;
  shop: string;
  topic: string;
  body: string | null;
  /** Including this one. */
  attempts: number;
  received_at: Date;
  seq: string;
}

/**
 * Claims up to `limit` pending webhooks (one shop's, or any), oldest first, in one statement:
 * FOR UPDATE SKIP LOCKED so concurrent drainers take different rows (the outbox's pattern,
 * app/dispatch/claim.server.ts). available_at moves a lease ahead and the attempt is counted:
 * if this worker dies mid-ingest, the row is claimable again when the lease ends, and a payload
 * that kills its worker every time is parked like any other failure. Returned in arrival order.
 */
export async function claimWebhooks(sql: SqlDriver, options: { now: Date; limit: number; workerId: string; leaseMs: number; shop?: string }): Promise<ClaimedWebhook[]> {
  const rows = await sql.query<ClaimedWebhook>(
    `UPDATE webhook_inbox AS w
     SET claimed_by = $2, attempts = w.attempts + 1, available_at = $1::timestamptz + make_interval(secs => $4 / 1000.0)
     WHERE w.webhook_id IN (
       SELECT webhook_id FROM webhook_inbox
       WHERE state = 'pending' AND available_at <= $1 AND ($5::text IS NULL OR shop = $5)
       ORDER BY received_at, seq
       LIMIT $3
       FOR UPDATE SKIP LOCKED)
     RETURNING w.webhook_id, w.shop, w.topic, w.body, w.attempts, w.received_at, w.seq::text AS seq`,
    [options.now, options.workerId, options.limit, options.leaseMs, options.shop ?? null],
  );
  return rows.sort((a, b) => new Date(a.received_at).getTime() - new Date(b.received_at).getTime() || Number(a.seq) - Number(b.seq));
}

/**
 * Marks webhooks ingested, in the transaction that ingested them, in one statement: their
 * bodies go (what they held now lives in the tables ingest wrote, where erasure finds it),
 * their ids stay to absorb redeliveries until pruned. A row customers/redact or shop/redact
 * deleted meanwhile stays deleted.
 *
 * The same statement turns off the commit's wait for the WAL flush (synchronous_commit is read
 * at commit; set_config(..., true) is SET LOCAL without a round trip of its own). That is safe
 * here: a crash can only lose a commit together with this completion, so the rows are still
 * pending and are ingested again, and any later commit that does wait (a text's claim) flushes
 * this one first (https://www.postgresql.org/docs/current/wal-async-commit.html).
 */
export async function completeWebhooks(tx: SqlTx, done: { webhookId: string; outcome: string }[], now: Date): Promise<void> {
  await tx.query(
    `UPDATE webhook_inbox AS w SET state = 'done', body = NULL, outcome = d.outcome, processed_at = $3, last_error = NULL, claimed_by = NULL
     FROM unnest($1::text[], $2::text[]) AS d (webhook_id, outcome)
     WHERE w.webhook_id = d.webhook_id AND set_config('synchronous_commit', 'off', true) IS NOT NULL`,
    [done.map((d) => d.webhookId), done.map((d) => d.outcome.slice(0, 200)), now],
  );
}

/** Records a failed attempt: retried after a backoff, or parked. Only while this worker still holds the claim. */
export async function failWebhook(sql: SqlDriver, row: { webhook_id: string }, workerId: string, failure: InboxFailure, error: string): Promise<void> {
  await sql.query(
    `UPDATE webhook_inbox SET state = $3, last_error = $4, available_at = COALESCE($5, available_at), claimed_by = NULL
     WHERE webhook_id = $1 AND claimed_by = $2 AND state = 'pending'`,
    [row.webhook_id, workerId, failure.state, error.slice(0, 1000), failure.state === "pending" ? failure.availableAt : null],
  );
}

/**
 * Puts parked webhooks back in the queue with fresh attempts, for one shop or all: what an
 * operator runs once the cause the doctor named is fixed (`npm run nudge -- webhooks retry`).
 * Returns how many were re-queued.
 */
export async function retryParkedWebhooks(sql: SqlTx, options: { shop?: string; now: Date }): Promise<number> {
  const rows = await sql.query(
    `UPDATE webhook_inbox SET state = 'pending', attempts = 0, available_at = $2, last_error = NULL, claimed_by = NULL
     WHERE state = 'parked' AND ($1::text IS NULL OR shop = $1) RETURNING webhook_id`,
    [options.shop ?? null, options.now],
  );
  return rows.length;
}

/**
 * Forgets ingested webhook ids after a day (webhook_receipt keeps dedupe for the week Shopify may
 * redeliver in). received_at is the app clock's (the dispatcher compares it with due_at), so the
 * cut-off is measured from the app clock's `now` too, not the database's.
 */
export async function pruneInbox(sql: SqlDriver, now: Date, keepHours = 24): Promise<number> {
  const removed = await sql.query(`DELETE FROM webhook_inbox WHERE state = 'done' AND received_at < $1::timestamptz - make_interval(hours => $2) RETURNING 1`, [now, keepHours]);
  return removed.length;
}

/**
 * customers/redact: deletes the shop's webhooks not yet ingested (pending, or parked with their
 * body) that name the customer, so none of them can bring the person back after the erasure,
 * and no parked body keeps them. Runs in the redact's transaction; the redact's own row is kept
 * (it is completed, and its body dropped, in the same transaction). Returns how many went.
 */
export async function forgetInboxWebhooksOf(tx: SqlTx, shop: string, who: RedactedCustomer, exceptWebhookId: string): Promise<number> {
  const rows = await tx.query<{ webhook_id: string; body: string }>(
    `SELECT webhook_id, body FROM webhook_inbox
     WHERE shop = $1 AND state IN ('pending', 'parked') AND body IS NOT NULL AND webhook_id <> $2`,
    [shop, exceptWebhookId],
  );
  const theirs = rows.filter((row) => {
    try {
      return mentionsCustomer(JSON.parse(row.body), who);
    } catch {
      return mentionsCustomerText(row.body, who);
    }
  });
  if (theirs.length === 0) return 0;
  await tx.query(`DELETE FROM webhook_inbox WHERE shop = $1 AND webhook_id = ANY($2::text[])`, [shop, theirs.map((row) => row.webhook_id)]);
  return theirs.length;
}
