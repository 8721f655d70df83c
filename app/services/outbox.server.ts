import type { Prisma } from "@prisma/client";
import type { Command } from "../journey";

type Tx = Prisma.TransactionClient;

/**
 * Applies journey commands to the outbox for one shopper. Scheduling is an upsert on the
 * (shop, shopper, dedupe key) unique index: it moves a pending or cancelled row and never
 * touches one that is sending, sent, skipped or failed, so replays can't cause a resend.
 */
export async function applyOutboxCommands(tx: Tx, shop: string, shopperId: string, commands: Command[]): Promise<void> {
  const discounts = new Map(
    commands.flatMap((c) => (c.type === "requestDiscount" ? [[c.key, { percent: c.percent, expiresInHours: c.expiresInHours }] as const] : [])),
  );
  for (const command of commands) {
    if (command.type === "cancel") {
      await tx.scheduledMessage.updateMany({
        where: { shop, shopperId, status: "scheduled", ...(command.keys === "all" ? {} : { dedupeKey: { in: command.keys } }) },
        data: { status: "cancelled", reason: command.reason },
      });
    } else if (command.type === "schedule") {
      const m = command.message;
      const discount = discounts.get(m.key);
      await tx.$executeRaw`
        INSERT INTO scheduled_message (id, shop, shopper_id, dedupe_key, flow, step, checkout_token, order_id, due_at, status, discount, updated_at)
        VALUES (gen_random_uuid(), ${shop}, ${shopperId}::uuid, ${m.key}, ${m.flow}, ${m.step}, ${m.checkoutToken ?? null},
                ${m.orderId ?? null}, ${new Date(m.dueAt)}, 'scheduled', ${discount ? JSON.stringify(discount) : null}::jsonb, now())
        ON CONFLICT (shop, shopper_id, dedupe_key) DO UPDATE
          SET due_at = EXCLUDED.due_at, status = 'scheduled', reason = NULL, discount = EXCLUDED.discount, updated_at = now()
          WHERE scheduled_message.status IN ('scheduled', 'cancelled')`;
    }
  }
}
