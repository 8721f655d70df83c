import type { SmsGateway } from "../adapters/twilio.server";
import type { SqlDriver } from "../db/sql-driver.server";
import { log, maskPhone } from "../lib/log.server";

const MAX_ATTEMPTS = 5;

/**
 * Messages left in `sending` by a worker that died between claim and result. We ask Twilio
 * whether the text went out: if it did, it is recorded as sent; if Twilio has no such text,
 * it is queued again; if Twilio can't be asked, it is left for the next round. A message
 * that keeps coming back becomes `unknown` for a person to review. Never a blind resend.
 */
export async function recoverStuckMessages(
  sql: SqlDriver,
  gatewayFor: (shop: string, settings: unknown) => SmsGateway | null,
  options: { now: Date; staleAfterMs: number; limit?: number },
): Promise<{ reconciled: number; requeued: number; unknown: number }> {
  const summary = { reconciled: 0, requeued: 0, unknown: 0 };
  await sql.transaction(async (tx) => {
    const stuck = await tx.query<{ id: string; shop: string; settings: unknown; phone: string | null; body: string | null; claimed_at: Date; attempts: number }>(
      `SELECT m.id, m.shop, sh.settings, s.phone, m.body, m.claimed_at, m.attempts
       FROM scheduled_message m
       JOIN shopper s ON s.id = m.shopper_id AND s.shop = m.shop
       JOIN shop sh ON sh.domain = m.shop
       WHERE m.status = 'sending' AND m.claimed_at <= $1
       ORDER BY m.claimed_at
       LIMIT $2
       FOR UPDATE OF m SKIP LOCKED`,
      [new Date(options.now.getTime() - options.staleAfterMs), options.limit ?? 50],
    );
    for (const row of stuck) {
      const gateway = gatewayFor(row.shop, row.settings);
      if (!gateway) continue;
      const sid = row.phone ? await gateway.findSent(row.phone, new Date(row.claimed_at), row.body).catch(() => undefined) : null;
      if (sid === undefined) continue;
      if (sid) {
        await tx.query(
          `UPDATE scheduled_message SET status = 'sent', provider_sid = $2, sent_at = claimed_at, reason = 'reconciled_after_crash', updated_at = now() WHERE id = $1`,
          [row.id, sid],
        );
        summary.reconciled++;
      } else if (row.attempts < MAX_ATTEMPTS) {
        await tx.query(`UPDATE scheduled_message SET status = 'scheduled', reason = 'requeued_after_crash', updated_at = now() WHERE id = $1`, [row.id]);
        summary.requeued++;
      } else {
        await tx.query(`UPDATE scheduled_message SET status = 'unknown', reason = 'stuck_in_sending', updated_at = now() WHERE id = $1`, [row.id]);
        summary.unknown++;
        log.warn("message left for review after repeated interrupted sends", { messageId: row.id, phone: maskPhone(row.phone) });
      }
    }
  });
  return summary;
}
