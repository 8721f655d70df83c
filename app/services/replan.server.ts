import type { SqlDriver } from "../db/sql-driver.server";
import { planMessages, type Command, type PlannedMessage } from "../journey";
import { readJourneyState } from "../journey/state-schema";
import type { LockedShopper } from "./shoppers.server";
import { applyOutboxCommands } from "./outbox.server";
import { readShopSettings } from "./shops.server";

export interface ReplanResult {
  shoppers: number;
  rescheduled: number;
  cancelled: number;
}

interface OutboxRow {
  shopper_id: string;
  status: string;
  dedupe_key: string;
  flow: string;
  due_at: Date;
  reason: string | null;
  discount: { percent: number } | null;
}

/**
 * After a flow's settings change, brings every shopper's pending texts in line with the new
 * plan: texts the flow no longer plans are cancelled, moved delays and discounts are applied,
 * and steps that were added are scheduled. Runs in batches of shoppers, each batch in one
 * transaction holding those shoppers' row locks, so it never races the sender or a webhook.
 */
export async function replanPendingMessages(sql: SqlDriver, shop: string, now: Date, batchSize = 500): Promise<ReplanResult> {
  const total: ReplanResult = { shoppers: 0, rescheduled: 0, cancelled: 0 };
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const batch = await sql.transaction(async (tx) => {
      const [row] = await tx.query<{ settings: unknown }>("SELECT settings FROM shop WHERE domain = $1", [shop]);
      const journey = readShopSettings(shop, row?.settings).journey;
      const shoppers = await tx.query<LockedShopper>(
        `SELECT id, phone, country, state FROM shopper
         WHERE shop = $1 AND id IN (SELECT DISTINCT shopper_id FROM scheduled_message WHERE shop = $1 AND status = 'scheduled' AND shopper_id > $2::uuid ORDER BY shopper_id LIMIT $3)
         ORDER BY id FOR UPDATE`,
        [shop, after, batchSize],
      );
      if (shoppers.length === 0) return null;
      const outbox = await tx.query<OutboxRow>(
        `SELECT shopper_id, status, dedupe_key, flow, due_at, reason, discount FROM scheduled_message
         WHERE shop = $1 AND shopper_id = ANY($2::uuid[])`,
        [shop, shoppers.map((s) => s.id)],
      );
      const result = { rescheduled: 0, cancelled: 0 };
      for (const shopper of shoppers) {
        const plan = planMessages(readJourneyState(shopper.state, shopper.country), now.getTime(), journey);
        const commands = replanCommands(
          plan,
          outbox.filter((p) => p.shopper_id === shopper.id),
        );
        for (const command of commands) {
          if (command.type === "cancel") result.cancelled += (command.keys as string[]).length;
          if (command.type === "schedule") result.rescheduled += 1;
        }
        await applyOutboxCommands(tx, shop, shopper.id, commands);
      }
      return { ...result, shoppers: shoppers.length, last: shoppers.at(-1)!.id };
    });
    if (!batch) return total;
    total.shoppers += batch.shoppers;
    total.rescheduled += batch.rescheduled;
    total.cancelled += batch.cancelled;
    after = batch.last;
  }
}

/** The outbox commands that turn a shopper's outbox rows into the plan. Pure. */
export function replanCommands(plan: PlannedMessage[], outbox: OutboxRow[]): Command[] {
  const planned = new Map(plan.map((m) => [m.key, m]));
  const rows = new Map(outbox.map((p) => [p.dedupe_key, p]));
  const pending = outbox.filter((p) => p.status === "scheduled");
  // The double opt-in confirmation isn't part of any flow's plan; leave it be.
  const dropped = pending.filter((p) => p.flow !== "confirm_optin" && !planned.has(p.dedupe_key)).map((p) => p.dedupe_key);
  const commands: Command[] = dropped.length > 0 ? [{ type: "cancel", keys: dropped, reason: "settings_changed" }] : [];
  for (const message of plan) {
    const row = rows.get(message.key);
    // Sent, skipped or failed texts are history; only pending or cancelled ones can move.
    if (row && row.status !== "scheduled" && row.status !== "cancelled") continue;
    // A text already pushed later (quiet hours, a retry) keeps the later time.
    const dueAt = row?.status === "scheduled" && row.reason ? Math.max(message.dueAt, new Date(row.due_at).getTime()) : message.dueAt;
    const sameTime = row?.status === "scheduled" && new Date(row.due_at).getTime() === dueAt;
    const sameDiscount = (row?.discount?.percent ?? null) === (message.discount?.percent ?? null);
    // Steps the new settings add are scheduled too.
    if (sameTime && sameDiscount) continue;
    const { discount, ...rest } = message;
    commands.push({ type: "schedule", message: { ...rest, dueAt } });
    if (discount) commands.push({ type: "requestDiscount", key: message.key, ...discount });
  }
  return commands;
}
