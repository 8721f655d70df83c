import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { database } from "~/db.server";
import { combineWrites } from "~/db/sql-values";
import type { Command } from "~/journey";
import { applyOutboxCommands } from "~/services/outbox.server";
import { installShop, TEST_SHOP } from "../support/shopify";

// The outbox statements group commands to save round trips (runs of schedules become one
// upsert; the first joins the journey's other writes). These pin the result to what applying
// the commands one at a time, in order, leaves.

const T = Date.parse("2026-11-24T15:00:00Z");
let shopperId: string;

const schedule = (key: string, dueAt: number, step = 1): Command => ({
  type: "schedule",
  message: { key, flow: "cart_recovery", step, dueAt, checkoutToken: "tok-1" },
});

async function rows() {
  const { sql } = await database();
  return sql.query<{ dedupe_key: string; status: string; reason: string | null; due_at: Date; step: number; discount: unknown }>(
    `SELECT dedupe_key, status, reason, due_at, step, discount FROM scheduled_message WHERE shop = $1 AND shopper_id = $2 ORDER BY dedupe_key`,
    [TEST_SHOP, shopperId],
  );
}

async function apply(commands: Command[]) {
  const { sql } = await database();
  await sql.transaction((tx) => applyOutboxCommands(tx, TEST_SHOP, shopperId, commands));
}

beforeAll(async () => {
  await installShop();
  const { sql } = await database();
  const [row] = await sql.query<{ id: string }>(`INSERT INTO shopper (shop, phone, updated_at) VALUES ($1, '+16135550111', now()) RETURNING id`, [TEST_SHOP]);
  shopperId = row!.id;
});

beforeEach(async () => {
  const { sql } = await database();
  await sql.query(`DELETE FROM scheduled_message WHERE shop = $1`, [TEST_SHOP]);
});

describe("applying journey commands to the outbox", () => {
  it("schedules several texts in one go, each with its own discount", async () => {
    await apply([schedule("cart:1", T + 3_600_000, 1), { type: "requestDiscount", key: "cart:2", percent: 10, expiresInHours: 48 }, schedule("cart:2", T + 7_200_000, 2)]);
    const stored = await rows();
    expect(stored.map((r) => [r.dedupe_key, r.status, r.step, new Date(r.due_at).getTime(), r.discount])).toEqual([
      ["cart:1", "scheduled", 1, T + 3_600_000, null],
      ["cart:2", "scheduled", 2, T + 7_200_000, { percent: 10, expiresInHours: 48 }],
    ]);
  });

  it("a key scheduled twice in one run keeps the first's row with the last due time", async () => {
    await apply([schedule("cart:1", T + 1_000, 1), schedule("cart:1", T + 9_000, 2)]);
    const [row] = await rows();
    expect([row!.step, new Date(row!.due_at).getTime(), (await rows()).length]).toEqual([1, T + 9_000, 1]);
  });

  it("a cancel between two schedules of one key leaves it scheduled at the later time", async () => {
    await apply([schedule("cart:1", T + 1_000), { type: "cancel", keys: "all", reason: "checkout_updated" }, schedule("cart:1", T + 5_000)]);
    const [row] = await rows();
    expect([row!.status, row!.reason, new Date(row!.due_at).getTime()]).toEqual(["scheduled", null, T + 5_000]);
  });

  it("a schedule followed by its cancel leaves a cancelled row with the reason", async () => {
    await apply([schedule("cart:1", T + 1_000), schedule("cart:2", T + 2_000), { type: "cancel", keys: ["cart:1"], reason: "ordered" }]);
    expect((await rows()).map((r) => [r.dedupe_key, r.status, r.reason])).toEqual([
      ["cart:1", "cancelled", "ordered"],
      ["cart:2", "scheduled", null],
    ]);
  });

  it("never moves a text that was already sent", async () => {
    await apply([schedule("cart:1", T + 1_000)]);
    const { sql } = await database();
    await sql.query(`UPDATE scheduled_message SET status = 'sent' WHERE shop = $1 AND dedupe_key = 'cart:1'`, [TEST_SHOP]);
    await apply([schedule("cart:1", T + 50_000), schedule("cart:2", T + 60_000)]);
    expect((await rows()).map((r) => [r.dedupe_key, r.status, new Date(r.due_at).getTime()])).toEqual([
      ["cart:1", "sent", T + 1_000],
      ["cart:2", "scheduled", T + 60_000],
    ]);
  });
});

describe("combineWrites", () => {
  it("renumbers each statement's parameters after the previous ones' and returns the last one's rows", () => {
    const combined = combineWrites([
      { sql: "UPDATE a SET x = $1 WHERE id = $2", params: [1, 2] },
      { sql: "INSERT INTO b VALUES ($1, $2::jsonb, $10) RETURNING id", params: [3, 4, 5, 6, 7, 8, 9, 10, 11, 12] },
    ]);
    expect(combined.sql).toBe("WITH w0 AS (UPDATE a SET x = $1 WHERE id = $2)\nINSERT INTO b VALUES ($3, $4::jsonb, $12) RETURNING id");
    expect(combined.params).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it("runs the writes on the database as one statement", async () => {
    const { sql } = await database();
    const combined = combineWrites([
      { sql: `UPDATE shopper SET first_name = $2 WHERE id = $1`, params: [shopperId, "Ada"] },
      { sql: `INSERT INTO journey_event (shop, shopper_id, type, occurred_at, data) VALUES ($1, $2, 'probe', now(), '{}') RETURNING type`, params: [TEST_SHOP, shopperId] },
    ]);
    expect(await sql.query(combined.sql, combined.params)).toEqual([{ type: "probe" }]);
    const [shopper] = await sql.query<{ first_name: string }>(`SELECT first_name FROM shopper WHERE id = $1`, [shopperId]);
    expect(shopper!.first_name).toBe("Ada");
  });
});
