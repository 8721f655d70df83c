import type { SmsSendResult } from "../adapters/twilio.server";
import type { SqlTx } from "../db/sql-driver.server";
import type { ShopSettings } from "../services/shops.server";
import { runJourney } from "../services/journey-runner.server";
import type { ClaimedMessage } from "./claim.server";
import { outcomeOfSend, type Outcome, type RowUpdate } from "./message-outcome";

/** The provider's answer for one text; a carrier opt-out is recorded on the shopper in the same transaction. */
export async function recordSendResult(
  tx: SqlTx,
  message: ClaimedMessage,
  result: SmsSendResult,
  ctx: { state: unknown; now: Date; phone: string | null; country: string | null; settings: ShopSettings },
): Promise<Outcome> {
  if (!result.ok && result.kind === "opted_out") {
    // Twilio 21610: the number replied STOP to this sender. Record it as their opt-out.
    const shopper = { id: message.shopper_id, phone: ctx.phone, country: ctx.country, state: ctx.state };
    await runJourney(tx, {
      shop: message.shop,
      shopper,
      events: [{ type: "opted_out", at: ctx.now.getTime(), source: "carrier" }],
      now: ctx.now,
      settings: ctx.settings.journey,
    });
  }
  return outcomeOfSend(message, result, ctx.now);
}

/** Every row of the chunk in one statement; absent fields keep the row's value. */
export async function writeRowUpdates(tx: SqlTx, updates: RowUpdate[]): Promise<void> {
  if (updates.length === 0) return;
  await tx.query(
    `UPDATE scheduled_message AS m
     SET status = v.status, reason = v.reason, due_at = COALESCE(v.due_at, m.due_at),
         error_code = COALESCE(v.error_code, m.error_code),
         last_error = CASE WHEN v.status = 'sent' THEN NULL ELSE COALESCE(v.last_error, m.last_error) END,
         body = COALESCE(v.body, m.body),
         segments = CASE WHEN v.body IS NULL THEN m.segments ELSE v.segments END,
         encoding = CASE WHEN v.body IS NULL THEN m.encoding ELSE v.encoding END,
         variant = CASE WHEN v.body IS NULL THEN m.variant ELSE v.variant END,
         sent_at = COALESCE(v.sent_at, m.sent_at), provider_sid = COALESCE(v.provider_sid, m.provider_sid),
         delivery_status = COALESCE(v.delivery_status, m.delivery_status),
         attempts = m.attempts - COALESCE(v.attempts_back, 0), updated_at = now()
     FROM jsonb_to_recordset($1::jsonb) AS v(id uuid, status text, reason text, due_at timestamptz, error_code int, last_error text, body text,
                                              segments int, encoding text, variant int, sent_at timestamptz, provider_sid text, delivery_status text,
                                              attempts_back int)
     WHERE m.id = v.id`,
    [JSON.stringify(updates)],
  );
}
