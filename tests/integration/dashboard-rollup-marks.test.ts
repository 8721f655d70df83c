import { beforeAll, describe, expect, it } from "vitest";
import { database } from "~/db.server";
import type { SqlDriver } from "~/db/sql-driver.server";
import { installShop, TEST_SHOP } from "../support/shopify";

// The rollups' update triggers on shoppers, checkouts, orders, links and credits are row-level
// with WHEN (prisma/migrations/0014; ADR 010, amendment of 7 Dec 2026): an update marks the hours
// of what it changed for the rollups, as 0013's statement-level triggers did, and one that
// changes nothing they read (or no row at all) calls no trigger function. 0013's ran one on
// every UPDATE and every upsert, six of a checkout webhook's nine calls (issue #23). Calls are counted with track_functions, for this transaction only
// (pg_stat_xact_user_functions, https://www.postgresql.org/docs/current/monitoring-stats.html).
let sql: SqlDriver;
let shopperId: string;
const SENT = new Date("2026-11-20T10:15:00Z");
const DUE = new Date("2026-11-20T09:40:00Z");
const PLACED = new Date("2026-11-21T16:05:00Z");

beforeAll(async () => {
  await installShop();
  ({ sql } = await database());
  [{ id: shopperId }] = (await sql.query<{ id: string }>(`INSERT INTO shopper (shop, phone, stage) VALUES ($1, '+16135550177', 'consideration') RETURNING id`, [TEST_SHOP])) as [{ id: string }];
  await sql.query(
    `INSERT INTO scheduled_message (shop, shopper_id, dedupe_key, flow, step, checkout_token, due_at, status, sent_at, segments)
     VALUES ($1, $2, 'cart:marks:1', 'cart_recovery', 1, 'marks', $3, 'sent', $4, 1)`,
    [TEST_SHOP, shopperId, DUE, SENT],
  );
  await sql.query(`INSERT INTO checkout (shop, token, shopper_id, started_at, last_activity_at) VALUES ($1, 'marks', $2, $3, $3)`, [TEST_SHOP, shopperId, DUE]);
  await sql.query(`INSERT INTO "order" (shop, shopify_order_id, shopper_id, total_price, currency, placed_at) VALUES ($1, 'marks-1', $2, 20, 'CAD', $3)`, [TEST_SHOP, shopperId, PLACED]);
});

/** Runs a write alone: how many rollup trigger functions it called, and the UTC hours it marked. */
async function write(statement: string, params: unknown[] = []) {
  return sql.transaction(async (tx) => {
    // The counts are the backend's not yet reported (PGlite's can span transactions): a difference.
    const triggerCalls = async () =>
      (await tx.query<{ n: number }>(`SELECT coalesce(sum(calls), 0)::int AS n FROM pg_stat_xact_user_functions WHERE schemaname = current_schema() AND funcname LIKE 'nudge_dashboard_dirty%'`))[0]!.n;
    await tx.exec("SET LOCAL track_functions = 'all'");
    await tx.query(`DELETE FROM dashboard_dirty_hour WHERE shop = $1`, [TEST_SHOP]);
    const before = await triggerCalls();
    await tx.query(statement, params);
    const calls = (await triggerCalls()) - before;
    const hours = await tx.query<{ hour: string }>(`SELECT to_char(hour, 'YYYY-MM-DD HH24:MI') AS hour FROM dashboard_dirty_hour WHERE shop = $1 ORDER BY hour`, [TEST_SHOP]);
    return { calls, hours: hours.map((h) => h.hour) };
  });
}

describe("dashboard rollup marks on updates", () => {
  it("call no trigger function for an update that matches no row", async () => {
    expect(await write(`UPDATE shopper SET updated_at = now() WHERE shop = $1 AND phone = 'nobody'`, [TEST_SHOP])).toEqual({ calls: 0, hours: [] });
  });

  it("call none for a shopper's update that keeps its stage, and mark its sent texts' hours when the stage changes", async () => {
    expect(await write(`UPDATE shopper SET email = 'marks@example.com', updated_at = now() WHERE id = $1`, [shopperId])).toEqual({ calls: 0, hours: [] });
    expect(await write(`UPDATE shopper SET stage = 'customer' WHERE id = $1`, [shopperId])).toEqual({ calls: 1, hours: ["2026-11-20 10:00"] });
  });

  it("mark a sent text's due and send hours when its delivery status changes, and nothing for its bookkeeping", async () => {
    // The texts' update trigger stays statement-level (the dispatcher records a chunk of sends in one UPDATE): one call, no mark.
    expect(await write(`UPDATE scheduled_message SET last_error = 'x', attempts = attempts + 1 WHERE shop = $1`, [TEST_SHOP])).toEqual({ calls: 1, hours: [] });
    const delivered = await write(`UPDATE scheduled_message SET delivery_status = 'delivered' WHERE shop = $1`, [TEST_SHOP]);
    expect(delivered.hours).toEqual(["2026-11-20 09:00", "2026-11-20 10:00"]);
  });

  it("call none for a checkout upsert that keeps its completion and shopper, and mark its cart text's hour when it completes", async () => {
    const upsert = `INSERT INTO checkout AS k (shop, token, shopper_id, email, started_at, last_activity_at, completed_at) VALUES ($1, 'marks', $2, $3, $4, $4, $5)
                    ON CONFLICT (shop, token) DO UPDATE SET email = EXCLUDED.email, completed_at = EXCLUDED.completed_at, updated_at = now()`;
    // The insert's statement-level trigger still runs once (inserts stay statement-level).
    expect(await write(upsert, [TEST_SHOP, shopperId, "a@example.com", DUE, null])).toEqual({ calls: 1, hours: [] });
    expect((await write(upsert, [TEST_SHOP, shopperId, "a@example.com", DUE, PLACED])).hours).toEqual(["2026-11-20 09:00"]);
  });

  it("call none for an order's update that keeps what the rollups read, and mark its placement and the first texts it can convert when its total changes", async () => {
    expect(await write(`UPDATE "order" SET name = '#1001' WHERE shop = $1`, [TEST_SHOP])).toEqual({ calls: 0, hours: [] });
    expect((await write(`UPDATE "order" SET total_price = 25 WHERE shop = $1`, [TEST_SHOP])).hours).toEqual(["2026-11-20 09:00", "2026-11-21 16:00"]);
  });
});
