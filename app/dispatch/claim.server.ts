import type { SqlDriver } from "../db/sql-driver.server";
import type { OutboxFlow } from "./guards";

export interface ClaimedMessage {
  id: string;
  shop: string;
  shopper_id: string;
  dedupe_key: string;
  flow: OutboxFlow;
  step: number;
  checkout_token: string | null;
  order_id: string | null;
  due_at: Date;
  discount: { percent: number; expiresInHours: number } | null;
  attempts: number;
  /** The campaign of a campaign text (flow "campaign"), null for a flow's. */
  campaign_id: string | null;
}

/**
 * Claims up to `limit` due messages for this worker in one statement. FOR UPDATE SKIP LOCKED
 * means concurrent workers each get different rows; the claim commits `sending` before any
 * text leaves, so a crash afterwards is visible and never silently retried. A text waits while
 * its shop has a webhook received before it fell due and not yet ingested (the inbox,
 * docs/decisions/024-acknowledge-webhooks-first.md): an order we answered 200 for cancels its
 * cart text before the text can go. A webhook whose ingest failed no longer holds texts back,
 * as a webhook answered 5xx never did.
 */
export async function claimDueMessages(sql: SqlDriver, options: { now: Date; limit: number; workerId: string }): Promise<ClaimedMessage[]> {
  return sql.query<ClaimedMessage>(
    `UPDATE scheduled_message AS m
     SET status = 'sending', claimed_at = $1, claimed_by = $2, attempts = m.attempts + 1, updated_at = now()
     WHERE m.id IN (
       SELECT id FROM scheduled_message
       WHERE status = 'scheduled' AND due_at <= $1
         AND NOT EXISTS (
           SELECT 1 FROM webhook_inbox w
           WHERE w.shop = scheduled_message.shop AND w.state = 'pending' AND w.last_error IS NULL AND w.received_at <= scheduled_message.due_at)
       ORDER BY due_at
       LIMIT $3
       FOR UPDATE SKIP LOCKED)
     RETURNING m.id, m.shop, m.shopper_id, m.dedupe_key, m.flow, m.step, m.checkout_token, m.order_id, m.due_at, m.discount, m.attempts, m.campaign_id`,
    [options.now, options.workerId, options.limit],
  );
}

/** When the next scheduled text falls due (null when none is), from the (status, due_at) index. */
export async function nextDueAt(sql: SqlDriver): Promise<Date | null> {
  const [row] = await sql.query<{ next: Date | null }>(`SELECT min(due_at) AS next FROM scheduled_message WHERE status = 'scheduled'`);
  return row?.next ? new Date(row.next) : null;
}
