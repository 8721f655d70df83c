import type { SmsGateway } from "../adapters/twilio.server";
import type { SqlDriver, SqlTx } from "../db/sql-driver.server";
import { log, maskPhone } from "../lib/log.server";
import { billingForChunk, chargeSentTexts, type DispatchBilling } from "../billing/dispatch-billing.server";
import { countSegments } from "../messaging/segments";
import { MAX_ATTEMPTS } from "./defaults";

interface StuckRow {
  id: string;
  shop: string;
  shopper_id: string;
  settings: unknown;
  phone: string | null;
  body: string | null;
  claimed_at: Date;
  attempts: number;
}

type Verdict = { sid: string; body: string } | "not_sent" | "ambiguous";

/**
 * Messages left in `sending` by a worker that died between claim and result. We ask Twilio
 * whether the text went out: if it did, it is recorded as sent; if Twilio has no such text,
 * it is queued again; if Twilio can't be asked, it is left for the next round. A message
 * that keeps coming back, or whose text can't be told apart from another's, becomes
 * `unknown` for a person to review. Never a blind resend.
 */
export async function recoverStuckMessages(
  sql: SqlDriver,
  gatewayFor: (shop: string, settings: unknown) => SmsGateway | null,
  options: { now: Date; staleAfterMs: number; limit?: number; billing?: DispatchBilling },
): Promise<{ reconciled: number; requeued: number; unknown: number }> {
  const summary = { reconciled: 0, requeued: 0, unknown: 0 };
  await sql.transaction(async (tx) => {
    const stuck = await tx.query<StuckRow>(
      `SELECT m.id, m.shop, m.shopper_id, sh.settings, s.phone, m.body, m.claimed_at, m.attempts
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
      const verdict = row.phone ? await findOwnText(tx, gateway, { ...row, phone: row.phone }).catch(() => undefined) : "not_sent";
      if (verdict === undefined) continue;
      if (typeof verdict === "object") {
        await tx.query(`UPDATE scheduled_message SET status = 'sent', provider_sid = $2, sent_at = claimed_at, reason = 'reconciled_after_crash', updated_at = now() WHERE id = $1`, [
          row.id,
          verdict.sid,
        ]);
        // A text that went out is charged like any other (ADR 023), in this same transaction.
        const billing = options.billing && (await billingForChunk(tx, row.shop, row.settings, options.billing, options.now));
        await chargeSentTexts(tx, row.shop, options.billing, billing || null, [{ messageId: row.id, segments: countSegments(verdict.body).segments }], options.now);
        summary.reconciled++;
      } else if (verdict === "not_sent" && row.attempts < MAX_ATTEMPTS) {
        await tx.query(`UPDATE scheduled_message SET status = 'scheduled', reason = 'requeued_after_crash', updated_at = now() WHERE id = $1`, [row.id]);
        summary.requeued++;
      } else {
        const reason = verdict === "ambiguous" ? "ambiguous_after_crash" : "stuck_in_sending";
        await tx.query(`UPDATE scheduled_message SET status = 'unknown', reason = $2, updated_at = now() WHERE id = $1`, [row.id, reason]);
        summary.unknown++;
        log.warn("message left for review after an interrupted send", { messageId: row.id, reason, phone: maskPhone(row.phone) });
      }
    }
  });
  return summary;
}

/**
 * Which of the texts Twilio holds for this number is this message's. Texts already recorded
 * on another message are someone else's: a dead worker's text for an earlier message must not
 * count as this one (found by tests/reliability/crash-dispatch.test.ts). The stored body is
 * an earlier attempt's at best (the send transaction that writes it died with the worker), so
 * without an exact match a single unclaimed text is ours only if no other interrupted message
 * for this shopper could own it.
 */
async function findOwnText(tx: SqlTx, gateway: SmsGateway, row: StuckRow & { phone: string }): Promise<Verdict> {
  const texts = await gateway.listSent(row.phone, new Date(row.claimed_at));
  if (texts.length === 0) return "not_sent";
  // Provider sids are unique across shops; a text recorded on any row is not this one's.
  const recorded = await tx.query<{ provider_sid: string }>(`SELECT provider_sid FROM scheduled_message WHERE provider_sid = ANY($1::text[])`, [texts.map((t) => t.sid)]);
  const taken = new Set(recorded.map((r) => r.provider_sid));
  const unclaimed = texts.filter((t) => !taken.has(t.sid));
  const exact = row.body ? unclaimed.find((t) => t.body === row.body) : undefined;
  if (exact) return { sid: exact.sid, body: exact.body };
  if (unclaimed.length === 0) return "not_sent";
  const [rivals] = await tx.query<{ n: number }>(
    // Rivals: the shopper's other interrupted messages, including those this round already left for review.
    `SELECT count(*)::int AS n FROM scheduled_message
     WHERE shop = $1 AND shopper_id = $2 AND id <> $3 AND (status = 'sending' OR (status = 'unknown' AND reason = 'ambiguous_after_crash' AND claimed_at >= $4))`,
    [row.shop, row.shopper_id, row.id, new Date(new Date(row.claimed_at).getTime() - 60_000)],
  );
  return unclaimed.length === 1 && (rivals?.n ?? 0) === 0 ? { sid: unclaimed[0]!.sid, body: unclaimed[0]!.body } : "ambiguous";
}
