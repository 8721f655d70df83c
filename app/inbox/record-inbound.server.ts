import type { SqlTx } from "../db/sql-driver.server";
import { readShopSettings } from "../services/shops.server";

/**
 * A text from the shopper puts their conversation at the top of the shop's inbox, unread, and
 * reopens it if the merchant had marked it done. A question (`pauses`: not a keyword, a Y or
 * an NPS score) also pauses the shopper's automated texts for the shop's conversationPauseHours
 * (24 by default), so a flow doesn't talk over the conversation: decideSend defers them to
 * `paused_until` (reason conversation_pause). One upsert, in the reply's transaction.
 */
export async function recordInboundConversation(tx: SqlTx, shop: string, shopperId: string, at: Date, pauses: boolean): Promise<void> {
  const [row] = await tx.query<{ settings: unknown }>("SELECT settings FROM shop WHERE domain = $1", [shop]);
  const hours = pauses ? readShopSettings(shop, row?.settings).sending.conversationPauseHours : 0;
  const pausedUntil = hours > 0 ? new Date(at.getTime() + hours * 3_600_000) : null;
  await tx.query(
    `INSERT INTO conversation AS c (shop, shopper_id, last_inbound_at, paused_until, updated_at)
     VALUES ($1, $2, $3, $4, now())
     ON CONFLICT (shop, shopper_id) DO UPDATE SET
       last_inbound_at = GREATEST(c.last_inbound_at, EXCLUDED.last_inbound_at),
       paused_until = CASE WHEN EXCLUDED.paused_until IS NULL THEN c.paused_until ELSE GREATEST(c.paused_until, EXCLUDED.paused_until) END,
       updated_at = now()`,
    [shop, shopperId, at, pausedUntil],
  );
}
