import type { SqlTx } from "../db/sql-driver.server";
import { valuesList, type Statement } from "../db/sql-values";
import type { Command, PlannedMessage } from "../journey";

type Scheduled = Omit<PlannedMessage, "discount">;

/**
 * Applies journey commands to the outbox for one shopper. Scheduling is an upsert on the
 * (shop, shopper, dedupe key) unique index: it moves a pending or cancelled row and never
 * touches one that is sending, sent, skipped or failed, so replays can't cause a resend.
 */
export async function applyOutboxCommands(tx: SqlTx, shop: string, shopperId: string, commands: Command[]): Promise<void> {
  for (const statement of outboxStatements(shop, shopperId, commands)) await tx.query(statement.sql, statement.params);
}

/**
 * The statements applyOutboxCommands runs, in order: each cancel on its own, and each run of
 * consecutive schedules as one multi-row upsert (a cancel between two schedules may touch the
 * row the first one wrote, so the order is kept).
 */
export function outboxStatements(shop: string, shopperId: string, commands: Command[]): Statement[] {
  const discounts = new Map(commands.flatMap((c) => (c.type === "requestDiscount" ? [[c.key, { percent: c.percent, expiresInHours: c.expiresInHours }] as const] : [])));
  const statements: Statement[] = [];
  let schedules: Scheduled[] = [];
  const flushSchedules = () => {
    if (schedules.length > 0) statements.push(scheduleStatement(shop, shopperId, schedules, discounts));
    schedules = [];
  };
  for (const command of commands) {
    if (command.type === "cancel") {
      flushSchedules();
      statements.push({
        sql: `UPDATE scheduled_message SET status = 'cancelled', reason = $3, updated_at = now()
              WHERE shop = $1 AND shopper_id = $2 AND status = 'scheduled' AND ($4::text[] IS NULL OR dedupe_key = ANY($4::text[]))`,
        params: [shop, shopperId, command.reason, command.keys === "all" ? null : command.keys],
      });
    } else if (command.type === "schedule") {
      schedules.push(command.message);
    }
  }
  flushSchedules();
  return statements;
}

type Discounts = Map<string, { percent: number; expiresInHours: number }>;

/**
 * One upsert for several schedules. A key scheduled twice in one run ends as two upserts in a
 * row would leave it: the first's row, with the last's due time (an upsert may not touch one
 * row twice, so the two are merged here).
 */
function scheduleStatement(shop: string, shopperId: string, messages: Scheduled[], discounts: Discounts): Statement {
  const byKey = new Map<string, Scheduled>();
  for (const m of messages) {
    const first = byKey.get(m.key);
    byKey.set(m.key, first ? { ...first, dueAt: m.dueAt } : m);
  }
  const rows = valuesList(
    [...byKey.values()].map((m) => {
      const discount = discounts.get(m.key);
      return [shop, shopperId, m.key, m.flow, m.step, m.checkoutToken ?? null, m.orderId ?? null, new Date(m.dueAt), discount ? JSON.stringify(discount) : null];
    }),
    ["", "", "", "", "", "", "", "", "::jsonb"],
    ", 'scheduled', now()",
  );
  return {
    sql: `INSERT INTO scheduled_message AS m (shop, shopper_id, dedupe_key, flow, step, checkout_token, order_id, due_at, discount, status, updated_at)
          VALUES ${rows.sql}
          ON CONFLICT (shop, shopper_id, dedupe_key) DO UPDATE
            SET due_at = EXCLUDED.due_at, status = 'scheduled', reason = NULL, discount = EXCLUDED.discount, updated_at = now()
            WHERE m.status IN ('scheduled', 'cancelled')`,
    params: rows.params,
  };
}
