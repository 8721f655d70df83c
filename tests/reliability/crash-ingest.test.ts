import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { database } from "~/db.server";
import { webhookHeaders } from "~/demo/shopify-payloads";
import { API_VERSION } from "~/shopify.server";
import { createBenchDatabase, type BenchDatabase } from "../../scripts/bench/bench-database";
import { appEnv, BENCH_SECRET, spawnScript, stopChild, waitForLine, type RunningChild } from "../../scripts/bench/child-process";
import { checkoutPayload, orderPayload } from "../support/shopify";
import { reportFigures } from "./support/report";
import { databaseKind, explainKillTestSkip, KILL_TESTS_SKIPPED, SIZES } from "./support/sizes";

// Promise (issue #10, item 1; ADR 003, ADR 024): a webhook server killed with SIGKILL mid-load
// loses nothing Shopify delivers and applies nothing twice. Shopify resends each webhook, with
// the same X-Shopify-Webhook-Id, until it gets a 200; the server answers once the webhook is in
// its inbox and ingests it after, so kills land mid-write, mid-ingest and in between; a webhook
// a kill interrupted is ingested after its lease. The end state is an uninterrupted run's.
const SERVER = "tests/reliability/support/webhook-server.ts";
const SHOP = "crash-ingest.myshopify.com";
const MIN = 60_000;

interface Delivery {
  path: string;
  topic: string;
  id: string;
  body: string;
}

let db: BenchDatabase;

/** Checkouts (created, then updated), and an order for every third: real sample payload shapes. */
function deliveries(): Delivery[] {
  const t0 = Date.now() - 10 * MIN;
  const list: Delivery[] = [];
  for (let i = 0; i < SIZES.ingestCheckouts; i++) {
    const phone = `+1613888${String(i).padStart(4, "0")}`;
    const token = `crash-${i}`;
    const checkout = (updated: number) =>
      checkoutPayload({ token, cartToken: `cart-${token}`, createdAt: new Date(t0), updatedAt: new Date(updated), phone, customerId: `77${i}`, email: `c${i}@example.com` });
    list.push({ path: "/webhooks/checkouts/create", topic: "checkouts/create", id: `cc-${i}`, body: JSON.stringify(checkout(t0)) });
    list.push({ path: "/webhooks/checkouts/update", topic: "checkouts/update", id: `cu-${i}`, body: JSON.stringify(checkout(t0 + MIN)) });
    if (i % 3 === 0) {
      const order = orderPayload({ id: `66${i}`, checkoutToken: token, cartToken: null, createdAt: new Date(t0 + 2 * MIN), phone, email: `c${i}@example.com` });
      list.push({ path: "/webhooks/orders/create", topic: "orders/create", id: `oc-${i}`, body: JSON.stringify(order) });
    }
  }
  return list;
}

const headersFor = (d: Delivery, secret: string) => webhookHeaders({ topic: d.topic, shop: SHOP, body: d.body, secret, apiVersion: API_VERSION, webhookId: d.id });

/** The outcome, without generated ids: shoppers by phone, their outbox, orders, receipts. */
async function endState(query: (sql: string) => Promise<Record<string, unknown>[]>): Promise<{ shoppers: Record<string, unknown>[]; receipts: number }> {
  const rows = await query(
    `SELECT s.phone, s.stage, s.consent,
            -- Texts that will go. Cancelled rows are left out: whether a cart text was planned and
            -- then cancelled, or never planned, depends on whether the order overtook its checkout.
            (SELECT json_agg(m.dedupe_key || ' ' || m.status || ' ' || to_char(m.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS') ORDER BY m.dedupe_key)
             FROM scheduled_message m WHERE m.shopper_id = s.id AND m.status <> 'cancelled') AS outbox,
            (SELECT count(*)::int FROM "order" o WHERE o.shopper_id = s.id) AS orders,
            (SELECT count(*)::int FROM checkout c WHERE c.shopper_id = s.id) AS checkouts
     FROM shopper s WHERE s.shop = '${SHOP}' ORDER BY s.phone`,
  );
  const [receipts] = await query(`SELECT count(*)::int AS n FROM webhook_receipt WHERE shop = '${SHOP}'`);
  return { shoppers: rows, receipts: Number(receipts!.n) };
}

explainKillTestSkip("crash-ingest");

beforeAll(async () => {
  if (KILL_TESTS_SKIPPED) return;
  db = createBenchDatabase("ingest");
  const database = await db.open();
  await database.sql.query(`INSERT INTO shop (domain, name, timezone, currency, settings) VALUES ($1, 'Crash Ingest', 'America/Toronto', 'CAD', '{}')`, [SHOP]);
  await database.close();
}, 120_000);
afterAll(() => db?.drop());

describe.skipIf(KILL_TESTS_SKIPPED)("webhook server killed with SIGKILL mid-load", () => {
  it("ends, after Shopify's retries, in the state of an uninterrupted run", async () => {
    const list = deliveries();
    const env = appEnv(db, { LOG_LEVEL: "error", NUDGE_IN_PROCESS_WORKER: "off" });
    let server: RunningChild | null = null;
    let url = "";
    const serverLogs: string[] = [];
    const start = async () => {
      server = spawnScript(SERVER, [], env);
      url = `http://127.0.0.1:${(await waitForLine(server, /listening (\d+)/, 60_000))[1]}`;
    };
    await start();

    const figures = { webhooks: list.length, kills: 0, attempts: 0, failedAttempts: 0, statuses5xx: 0 };
    let next = 0;
    let done = 0;
    // Shopify's side: each delivery is resent until it is acknowledged with a 200.
    const senders = Array.from({ length: 8 }, async () => {
      while (next < list.length) {
        const d = list[next++]!;
        for (;;) {
          figures.attempts++;
          const status = await fetch(url + d.path, { method: "POST", headers: headersFor(d, BENCH_SECRET), body: d.body, signal: AbortSignal.timeout(10_000) }).then(
            (r) => r.status,
            () => 0,
          );
          if (status === 200) break;
          if (status >= 500) figures.statuses5xx++;
          if (status !== 0 && status < 500) throw new Error(`${d.id}: ${status}`);
          figures.failedAttempts++;
          await new Promise((r) => setTimeout(r, 50));
        }
        done++;
      }
    });
    // Kill the server at random points of the load, and bring it back.
    for (let k = 0; k < SIZES.ingestKills; k++) {
      const at = Math.floor(((k + Math.random()) * list.length) / (SIZES.ingestKills + 1));
      while (done < at) await new Promise((r) => setTimeout(r, 2));
      server!.child.kill("SIGKILL");
      await server!.exited;
      serverLogs.push(server!.stderr());
      figures.kills++;
      await start();
    }
    await Promise.all(senders);
    // Every webhook is acknowledged; wait until the server's drain has ingested them all (asked
    // of the server: PGlite's data folder is its alone while it runs).
    let inbox = { pending: -1, parked: -1, reclaimed: 0 };
    for (let waited = 0; waited < 120_000 && inbox.pending !== 0; waited += 100) {
      inbox = (await (await fetch(`${url}/inbox`)).json()) as typeof inbox;
      if (inbox.pending !== 0) await new Promise((r) => setTimeout(r, 100));
    }
    serverLogs.push((server as RunningChild | null)!.stderr());
    await stopChild(server!);
    const serverErrors = serverLogs.join("\n");
    if (figures.statuses5xx > 0) console.log(`[reliability] crash-ingest: the 5xx answers logged:\n${serverErrors.slice(0, 4000)}`);

    const killed = await db.open();
    let actual;
    try {
      actual = await endState((q) => killed.sql.query(q));
    } finally {
      await killed.close();
    }

    // The same deliveries, once each, in this test's own database, without interruption.
    const { sql } = await database();
    await sql.query(`INSERT INTO shop (domain, name, timezone, currency, settings) VALUES ($1, 'Crash Ingest', 'America/Toronto', 'CAD', '{}')`, [SHOP]);
    const { action } = await import("~/routes/webhooks.checkouts.create");
    const routes: Record<string, typeof action> = {
      "/webhooks/checkouts/create": action,
      "/webhooks/checkouts/update": (await import("~/routes/webhooks.checkouts.update")).action,
      "/webhooks/orders/create": (await import("~/routes/webhooks.orders.create")).action,
    };
    for (const d of list) {
      const request = new Request(`https://nudge.test${d.path}`, { method: "POST", headers: headersFor(d, process.env.SHOPIFY_API_SECRET!), body: d.body });
      expect((await routes[d.path]!({ request, params: {}, context: {} })).status).toBe(200);
    }
    const expected = await endState((q) => sql.query(q));

    // Lost: deliveries with no receipt, and shoppers whose end state is not the uninterrupted run's.
    const differing = expected.shoppers.filter((row, i) => JSON.stringify(row) !== JSON.stringify(actual.shoppers[i])).length;
    const lost = list.length - actual.receipts + differing + Math.abs(expected.shoppers.length - actual.shoppers.length);
    reportFigures("crash-ingest", databaseKind, { ...figures, lost, shoppers: actual.shoppers.length, parked: inbox.parked, reclaimedAfterLease: inbox.reclaimed });
    expect(figures.kills).toBe(SIZES.ingestKills);
    expect(inbox).toMatchObject({ pending: 0, parked: 0 });
    expect(actual.receipts).toBe(list.length);
    // Two deadlocks this test found, each a 500 and then Shopify's retry: an order and a checkout
    // update for one shopper taking the shopper and checkout rows in opposite orders (lockShopper
    // in handleOrder), and two first webhooks of one new shopper inside upsertShopper's INSERT ...
    // ON CONFLICT (now serialised by an advisory lock per phone and customer id).
    expect(serverErrors).not.toMatch(/deadlock detected/);
    expect(actual).toEqual(expected);
  }, 900_000);
});
