import type { SqlTx } from "../db/sql-driver.server";
import type { Command } from "../journey";

/**
 * Applies journey commands to the outbox for one shopper. Scheduling is an upsert on the
 * (shop, shopper, dedupe key) unique index: it moves a pending or cancelled row and never
 * touches one that is sending, sent, skipped or failed, so replays can't cause a resend.
 */
export async function applyOutboxCommands(tx: SqlTx, shop: string, shopperId: string, commands: Command[]): Promise<void> {
  const discounts = new Map(
    commands.flatMap((c) => (c.type === "requestDiscount" ? [[c.key, { percent: c.percent, expiresInHours: c.expiresInHours }] as const] : [])),
  );
  for (const command of commands) {
    if (command.type === "cancel") {
      await tx.query(
        `UPDATE scheduled_message SET status = 'cancelled', reason = $3, updated_at = now()
         WHERE shop = $1 AND shopper_id = $2 AND status = 'scheduled' AND ($4::text[] IS NULL OR dedupe_key = ANY($4::text[]))`,
        [shop, shopperId, command.reason, command.keys === "all" ? null : command.keys],
      );
    } else if (command.type === "schedule") {
      const m = command.message;
      const discount = discounts.get(m.key);
      await tx.query(
        `INSERT INTO scheduled_message AS m (shop, shopper_id, dedupe_key, flow, step, checkout_token, order_id, due_at, status, discount, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'scheduled', $9::jsonb, now())
         ON CONFLICT (shop, shopper_id, dedupe_key) DO UPDATE
           SET due_at = EXCLUDED.due_at, status = 'scheduled', reason = NULL, discount = EXCLUDED.discount, updated_at = now()
           WHERE m.status IN ('scheduled', 'cancelled')`,
        [shop, shopperId, m.key, m.flow, m.step, m.checkoutToken ?? null, m.orderId ?? null, new Date(m.dueAt), discount ? JSON.stringify(discount) : null],
      );
    }
  }
}
