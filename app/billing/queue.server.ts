import type { SqlTx } from "../db/sql-driver.server";
import { amountOf, chargeCents, type BillingConfig } from "./plan";

/** A text sent on the app's Twilio account, to be charged. */
export interface SentText {
  messageId: string;
  segments: number;
}

/**
 * The key Shopify dedupes the charge on (appUsageRecordCreate idempotencyKey, at most 255
 * characters): one per message, so a retry after a crash can't charge a text twice.
 */
function idempotencyKeyFor(messageId: string): string {
  return `nudge-sms-${messageId}`;
}

/**
 * Owes Shopify a charge for each text, in the caller's transaction: the one that marks the texts
 * sent, so the two commit or fail together (docs/decisions/023-billing.md). One row per message:
 * a second write for the same text (recovery after a crash) changes nothing. The currency is the
 * plan's (Shopify takes usage charges in the capped amount's currency), else the operator's.
 */
export async function queueUsageCharges(tx: SqlTx, shop: string, texts: readonly SentText[], config: BillingConfig, now: Date): Promise<void> {
  if (texts.length === 0) return;
  await tx.query(
    `INSERT INTO usage_charge (message_id, shop, segments, amount, currency, idempotency_key, next_attempt_at)
     SELECT v.message_id, $1, v.segments, v.amount::numeric, COALESCE((SELECT currency FROM billing_plan WHERE shop = $1), $3), v.idempotency_key, $4
     FROM jsonb_to_recordset($2::jsonb) AS v(message_id uuid, segments int, amount text, idempotency_key text)
     ON CONFLICT (message_id) DO NOTHING`,
    [
      shop,
      JSON.stringify(texts.map((t) => ({ message_id: t.messageId, segments: t.segments, amount: amountOf(chargeCents(config, t.segments)), idempotency_key: idempotencyKeyFor(t.messageId) }))),
      config.currency,
      now,
    ],
  );
}
