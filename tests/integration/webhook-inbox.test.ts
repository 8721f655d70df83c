import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { PrismaClient } from "@prisma/client";
import { fixedClock, setClock } from "~/clock.server";
import { database } from "~/db.server";
import { claimWebhooks, acceptWebhooks, pruneInbox } from "~/webhooks/inbox.server";
import { INBOX_TIMING } from "~/webhooks/inbox-retry";
import { inboxWriter } from "~/webhooks/inbox-writer.server";
import { startInboxDrain } from "~/webhooks/inbox-loop.server";
import { webhookInboxCheck } from "~/ops/webhook-inbox-check.server";
import { runCli } from "~/ops/cli.server";
import { action as checkoutsCreate } from "~/routes/webhooks.checkouts.create";
import { action as checkoutsUpdate } from "~/routes/webhooks.checkouts.update";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as customersRedact } from "~/routes/webhooks.customers.redact";
import { startFakeTwilio, type FakeTwilio } from "../mocks/twilio";
import { tablesMentioning } from "../support/db";
import { dispatchOnce } from "../support/dispatch";
import { checkoutPayload, fixture, installShop, orderPayload, TEST_SHOP, webhookRequest } from "../support/shopify";
import { drainStep, drainWebhooks, installWebhookFailureTrigger } from "../support/webhook-inbox";

// Acknowledge first, ingest after (docs/decisions/024-acknowledge-webhooks-first.md): these
// tests post through the signed routes with the tests' drain step off, and drain themselves.

const T = new Date("2026-11-24T15:00:00Z");
const MIN = 60_000;
const clock = fixedClock(T);
let prisma: PrismaClient;
let fake: FakeTwilio;
let seq = 0;

type Route = typeof checkoutsCreate;
const call = (route: Route, request: Request) => route({ request, params: {}, context: {} });
const phoneOf = (n: number) => `+1613444${String(n).padStart(4, "0")}`;
const checkout = (n: number, options: { webhookId?: string; topic?: "checkouts/create" | "checkouts/update"; updatedAt?: Date; customerId?: string; email?: string } = {}) => {
  const topic = options.topic ?? "checkouts/create";
  const payload = checkoutPayload({
    token: `ib-${n}`,
    createdAt: T,
    updatedAt: options.updatedAt ?? T,
    phone: phoneOf(n),
    customerId: options.customerId ?? String(5500 + n),
    email: options.email ?? `ib${n}@example.com`,
  });
  return call(topic === "checkouts/create" ? checkoutsCreate : checkoutsUpdate, webhookRequest(topic, payload, { webhookId: options.webhookId }));
};
const order = (n: number, webhookId?: string) => {
  const customer = { ...fixture("orders_create").customer, id: 5500 + n, admin_graphql_api_id: `gid://shopify/Customer/${5500 + n}`, email: `ib${n}@example.com` };
  const payload = orderPayload({ id: `4400${n}`, checkoutToken: `ib-${n}`, createdAt: new Date(T.getTime() + 5 * MIN), phone: phoneOf(n), email: customer.email, customer });
  return call(ordersCreate, webhookRequest("orders/create", payload, { webhookId }));
};

async function inboxRows(shop = TEST_SHOP) {
  const { sql } = await database();
  return sql.query<{ webhook_id: string; state: string; attempts: number; body: string | null; last_error: string | null; outcome: string | null }>(
    `SELECT webhook_id, state, attempts, body, last_error, outcome FROM webhook_inbox WHERE shop = $1 ORDER BY seq`,
    [shop],
  );
}
const shopperOf = (n: number) => prisma.shopper.findFirst({ where: { shop: TEST_SHOP, phone: phoneOf(n) } });

/** A shopper's end state without its generated ids, to compare two shoppers' journeys. */
async function journeyOf(n: number) {
  const shopper = await shopperOf(n);
  const messages = shopper ? await prisma.scheduledMessage.findMany({ where: { shopperId: shopper.id }, orderBy: { dedupeKey: "asc" } }) : [];
  const strip = (text: string) => text.replaceAll(`ib-${n}`, "TOKEN").replaceAll(`4400${n}`, "ORDER");
  return {
    stage: shopper?.stage,
    consent: shopper?.consent,
    orders: shopper?.orderCount,
    // A cancelled text's due time depends on whether the order overtook its checkout's update (as in delivery-order).
    messages: messages.map((m) => strip(`${m.dedupeKey} ${m.status} ${m.reason ?? ""} ${m.status === "cancelled" ? "" : m.dueAt.toISOString()}`)),
    checkouts: (await prisma.checkout.findMany({ where: { shopperId: shopper?.id ?? "none" } })).map((c) => strip(`${c.token} ${c.completedAt?.toISOString() ?? "open"}`)),
  };
}

beforeAll(async () => {
  setClock(clock);
  prisma = await installShop();
  fake = await startFakeTwilio();
  // A real database failure inside ingest's transaction for the webhook ids listed in fail_webhook.
  await installWebhookFailureTrigger();
});
afterAll(() => fake.close());
beforeEach(() => {
  clock.set(T);
  seq += 10;
  drainStep.enabled = false;
});
afterEach(() => void (drainStep.enabled = true));

describe("acknowledge first", () => {
  it("answers 200 having only written the inbox row; the journey exists after the drain", async () => {
    expect((await checkout(seq, { webhookId: `ack-${seq}` })).status).toBe(200);
    expect(await shopperOf(seq)).toBeNull();
    expect(await inboxRows()).toContainEqual(expect.objectContaining({ webhook_id: `ack-${seq}`, state: "pending", attempts: 0, body: expect.stringContaining(phoneOf(seq)) }));

    expect(await drainWebhooks({ shop: TEST_SHOP })).toMatchObject({ ingested: 1, retrying: 0, parked: 0 });
    expect(await journeyOf(seq)).toMatchObject({ stage: "consideration", messages: [`cart:TOKEN:1 scheduled  ${new Date(T.getTime() + 20 * MIN).toISOString()}`] });
    // Ingested: the body is gone (its data lives in the tables now), the id stays for dedupe.
    expect((await inboxRows()).find((r) => r.webhook_id === `ack-${seq}`)).toMatchObject({ state: "done", body: null, outcome: expect.any(String) });
  });

  it("keeps nothing of a verified webhook for a shop it doesn't hold", async () => {
    const stranger = "stranger-inbox.myshopify.com";
    const res = await call(checkoutsCreate, webhookRequest("checkouts/create", checkoutPayload({ token: "x", createdAt: T, phone: phoneOf(seq) }), { shop: stranger }));
    expect(res.status).toBe(200);
    expect(await inboxRows(stranger)).toEqual([]);
  });

  it("still answers a payload ingest can't take with 400 and stores nothing", async () => {
    const res = await call(checkoutsCreate, webhookRequest("checkouts/create", { ...checkoutPayload({ token: "bad", createdAt: T }), updated_at: "yesterday" }, { webhookId: `bad-${seq}` }));
    expect(res.status).toBe(400);
    expect((await inboxRows()).some((r) => r.webhook_id === `bad-${seq}`)).toBe(false);
  });

  it("commits webhooks verified while a write is in flight together, each with its own outcome, in arrival order", async () => {
    const { sql } = await database();
    const inserts = vi.spyOn(sql, "query");
    const body = (n: number) => JSON.stringify({ n });
    const webhook = (id: string, shop = TEST_SHOP) => ({ webhookId: id, shop, topic: "CHECKOUTS_UPDATE", body: body(seq), now: clock.now() });
    const write = inboxWriter(sql);
    try {
      // The first goes at once, alone; the rest arrive during its round trip and share the next statement,
      // a redelivery inside the group and one of a webhook already in the inbox included.
      const outcomes = await Promise.all([
        write(webhook(`grp-${seq}-0`)),
        write(webhook(`grp-${seq}-1`)),
        write(webhook(`grp-${seq}-2`)),
        write(webhook(`grp-${seq}-1`)),
        write(webhook(`grp-${seq}-3`, "stranger-group.myshopify.com")),
        write(webhook(`grp-${seq}-0`)),
      ]);
      expect(outcomes).toEqual(["accepted", "accepted", "accepted", "duplicate", "not_installed", "duplicate"]);
      expect(inserts.mock.calls.filter(([text]) => text.includes("INSERT INTO webhook_inbox"))).toHaveLength(2);
    } finally {
      inserts.mockRestore();
    }
    expect((await inboxRows()).filter((r) => r.webhook_id.startsWith(`grp-${seq}-`)).map((r) => r.webhook_id)).toEqual([0, 1, 2].map((i) => `grp-${seq}-${i}`));
    await sql.query(`DELETE FROM webhook_inbox WHERE webhook_id LIKE $1`, [`grp-${seq}-%`]);
  });

  it("fails only the webhook that fails when it shares a group: the others are written alone", async () => {
    const { sql } = await database();
    const write = inboxWriter(sql);
    const webhook = (id: string, body: string) => ({ webhookId: id, shop: TEST_SHOP, topic: "CHECKOUTS_UPDATE", body, now: clock.now() });
    // PostgreSQL text can't hold NUL (the route answers such a body 400 before this; here it stands for any failure of one row).
    const [first, good, bad, after] = await Promise.allSettled([
      write(webhook(`gf-${seq}-0`, "{}")),
      write(webhook(`gf-${seq}-1`, "{}")),
      write(webhook(`gf-${seq}-2`, "a NUL: \u0000")),
      write(webhook(`gf-${seq}-3`, "{}")),
    ]);
    expect([first, good, after].map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "fulfilled"]);
    expect(bad).toMatchObject({ status: "rejected" });
    expect((await inboxRows()).filter((r) => r.webhook_id.startsWith(`gf-${seq}-`)).map((r) => r.webhook_id)).toEqual([0, 1, 3].map((i) => `gf-${seq}-${i}`));
    await sql.query(`DELETE FROM webhook_inbox WHERE webhook_id LIKE $1`, [`gf-${seq}-%`]);
  });

  it("ingests without a drain step in a single process: the in-process loop is woken (the route's kick, the inbox's NOTIFY)", async () => {
    const loop = startInboxDrain({ workerId: "in-process", pollMs: 60_000 });
    try {
      // Let the loop's first (empty) round end and its sleep begin: only the kick can end it now.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await checkout(seq)).status).toBe(200);
      await vi.waitFor(async () => expect(await shopperOf(seq)).not.toBeNull(), { timeout: 10_000, interval: 20 });
    } finally {
      await loop.stop();
    }
  });
});

describe("dedupe on the webhook id", () => {
  it("writes a redelivery once, and a redelivery after ingest changes nothing", async () => {
    const id = `dup-${seq}`;
    expect((await checkout(seq, { webhookId: id })).status).toBe(200);
    expect((await checkout(seq, { webhookId: id })).status).toBe(200);
    expect((await inboxRows()).filter((r) => r.webhook_id === id)).toHaveLength(1);
    await drainWebhooks({ shop: TEST_SHOP });
    const before = await journeyOf(seq);
    expect((await checkout(seq, { webhookId: id, topic: "checkouts/update", updatedAt: new Date(T.getTime() + 10 * MIN) })).status).toBe(200);
    expect(await drainWebhooks({ shop: TEST_SHOP })).toMatchObject({ claimed: 0 });
    expect(await journeyOf(seq)).toEqual(before);

    // Once the inbox has forgotten the id (after a day), ingest's receipt still absorbs it.
    const { sql } = await database();
    await sql.query(`DELETE FROM webhook_inbox WHERE webhook_id = $1`, [id]);
    expect((await checkout(seq, { webhookId: id, topic: "checkouts/update", updatedAt: new Date(T.getTime() + 10 * MIN) })).status).toBe(200);
    expect(await drainWebhooks({ shop: TEST_SHOP })).toMatchObject({ ingested: 1 });
    expect((await inboxRows()).find((r) => r.webhook_id === id)).toMatchObject({ outcome: "duplicate" });
    expect(await journeyOf(seq)).toEqual(before);
  });
});

describe("a webhook whose ingest fails", () => {
  const timing = { ...INBOX_TIMING, retryBaseMs: 1_000, retryCapMs: 4_000, maxAttempts: 3 };

  it("is retried after a backoff, parked with its error after the last attempt, shown by the doctor, and retried from the CLI", async () => {
    const { sql } = await database();
    const id = `poison-${seq}`;
    await sql.query(`INSERT INTO fail_webhook VALUES ($1)`, [id]);
    expect((await checkout(seq, { webhookId: id })).status).toBe(200);

    expect(await drainWebhooks({ shop: TEST_SHOP, timing })).toMatchObject({ claimed: 1, retrying: 1 });
    expect(await drainWebhooks({ shop: TEST_SHOP, timing })).toMatchObject({ claimed: 0 }); // waiting out its backoff
    clock.advance(1_000);
    expect(await drainWebhooks({ shop: TEST_SHOP, timing })).toMatchObject({ claimed: 1, retrying: 1 });
    clock.advance(2_000);
    expect(await drainWebhooks({ shop: TEST_SHOP, timing })).toMatchObject({ claimed: 1, parked: 1 });
    expect((await inboxRows()).find((r) => r.webhook_id === id)).toMatchObject({ state: "parked", attempts: 3, last_error: expect.stringContaining("injected failure") });
    // Never retried again on its own.
    clock.advance(24 * 60 * MIN);
    expect(await drainWebhooks({ shop: TEST_SHOP, timing })).toMatchObject({ claimed: 0 });
    expect(await shopperOf(seq)).toBeNull();

    const check = await webhookInboxCheck(sql, clock.now());
    expect(check).toMatchObject({ name: "webhooks in", status: "fail" });
    expect(check.detail).toMatch(/1 webhooks parked.*webhooks retry.*injected failure/);

    await sql.query(`DELETE FROM fail_webhook WHERE webhook_id = $1`, [id]); // the cause is fixed
    const out: string[] = [];
    const code = await runCli(["webhooks", "retry", "--shop", TEST_SHOP], { out: (t) => out.push(t), err: (t) => out.push(t), env: process.env, now: () => clock.now() });
    expect({ code, out }).toEqual({ code: 0, out: [`1 parked webhook re-queued for ingest (${TEST_SHOP}); the worker takes them within a second`] });
    expect(await drainWebhooks({ shop: TEST_SHOP, timing })).toMatchObject({ ingested: 1 });
    expect(await shopperOf(seq)).not.toBeNull();
    expect(await webhookInboxCheck(sql, clock.now())).toMatchObject({ status: "ok" });
  });

  it("fails alone when it shares a transaction with others: they are ingested, it waits out its backoff", async () => {
    const { sql } = await database();
    const shoppers = Array.from({ length: 5 }, (_, i) => seq + i);
    const poisoned = `poison-group-${seq}`;
    await sql.query(`INSERT INTO fail_webhook VALUES ($1)`, [poisoned]);
    for (const n of shoppers) expect((await checkout(n, { webhookId: n === seq + 2 ? poisoned : `group-${n}` })).status).toBe(200);

    // One group: all five webhooks in one transaction, which the third one's failure rolls back.
    const { drainInbox } = await import("~/webhooks/drain-inbox.server");
    const drain = () => drainInbox({ sql, workerId: "grouped", now: () => clock.now(), shop: TEST_SHOP, concurrency: 1, timing });
    expect(await drain()).toEqual({ claimed: 5, ingested: 4, retrying: 1, parked: 0 });
    const rows = await inboxRows();
    for (const n of shoppers.filter((n) => n !== seq + 2)) {
      expect(rows.find((r) => r.webhook_id === `group-${n}`)).toMatchObject({ state: "done", attempts: 1, outcome: "journey:consideration", body: null });
      expect(await journeyOf(n)).toMatchObject({ stage: "consideration" });
    }
    expect(rows.find((r) => r.webhook_id === poisoned)).toMatchObject({ state: "pending", attempts: 1, last_error: expect.stringContaining("injected failure") });
    expect(await shopperOf(seq + 2)).toBeNull();

    await sql.query(`DELETE FROM fail_webhook WHERE webhook_id = $1`, [poisoned]);
    clock.advance(timing.retryBaseMs);
    expect(await drain()).toEqual({ claimed: 1, ingested: 1, retrying: 0, parked: 0 });
    expect(await journeyOf(seq + 2)).toMatchObject({ stage: "consideration" });
  });

  it("parks a body ingest can't read at once (written by another transport, or before a schema change)", async () => {
    const { sql } = await database();
    await acceptWebhooks(sql, [{ webhookId: `unreadable-${seq}`, shop: TEST_SHOP, topic: "ORDERS_CREATE", body: JSON.stringify({ total_price: "1.00" }), now: clock.now() }]);
    expect(await drainWebhooks({ shop: TEST_SHOP })).toMatchObject({ claimed: 1, parked: 1 });
    expect((await inboxRows()).find((r) => r.webhook_id === `unreadable-${seq}`)).toMatchObject({ state: "parked", attempts: 1, last_error: expect.stringMatching(/^invalid payload/) });
    await sql.query(`DELETE FROM webhook_inbox WHERE webhook_id = $1`, [`unreadable-${seq}`]);
  });
});

describe("the drain's cost", () => {
  it("ingests a group of checkouts in one transaction: one receipt statement and one completion for all, four statements each", async () => {
    // Round trips were most of a drained webhook's CPU, in the worker and in PostgreSQL (ADR 024, amendment of 7 Dec 2026).
    const { sql } = await database();
    const shoppers = Array.from({ length: 5 }, (_, i) => seq + i);
    for (const n of shoppers) expect((await checkout(n)).status).toBe(200);
    const statements: string[] = [];
    const transactions: number[] = [];
    let locksAfterReceipts: number | undefined;
    const counted: typeof sql = {
      ...sql,
      transaction: (fn) =>
        sql.transaction((tx) => {
          transactions.push(statements.length);
          const query = async <Row>(text: string, params?: unknown[]) => {
            statements.push(text);
            const rows = await tx.query<Row>(text, params);
            // The identity locks upsertShopper needs are taken by the receipt statement.
            if (statements.length === 1) locksAfterReceipts = (await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()`))[0]!.n;
            return rows;
          };
          return fn({ exec: (text) => (statements.push(text), tx.exec(text)), query });
        }),
    };
    const { drainInbox } = await import("~/webhooks/drain-inbox.server");
    expect(await drainInbox({ sql: counted, workerId: "counted", now: () => clock.now(), shop: TEST_SHOP, concurrency: 1 })).toMatchObject({ claimed: 5, ingested: 5 });
    // Each: the shopper's phone attached to its customer, the shopper upsert, the checkout, the journey.
    expect({ transactions: transactions.length, statements: statements.length }).toEqual({ transactions: 1, statements: 1 + 4 * shoppers.length + 1 });
    // Each shopper's phone and customer id. PGlite (one backend, single-user mode) lists no advisory locks in pg_locks.
    if (sql.kind === "postgres") expect(locksAfterReceipts).toBe(2 * shoppers.length);
    for (const n of shoppers) expect(await journeyOf(n)).toMatchObject({ stage: "consideration" });
  });
});

describe("a worker that dies holding webhooks", () => {
  it("loses nothing: its claimed rows are claimed again when the lease ends", async () => {
    const { sql } = await database();
    expect((await checkout(seq, { webhookId: `lease-${seq}` })).status).toBe(200);
    // A worker claims the row and is killed before ingesting it.
    expect(await claimWebhooks(sql, { now: clock.now(), limit: 10, workerId: "killed", leaseMs: INBOX_TIMING.leaseMs, shop: TEST_SHOP })).toHaveLength(1);
    expect(await drainWebhooks({ shop: TEST_SHOP })).toMatchObject({ claimed: 0 });
    expect(await shopperOf(seq)).toBeNull();
    clock.advance(INBOX_TIMING.leaseMs);
    expect(await drainWebhooks({ shop: TEST_SHOP })).toMatchObject({ claimed: 1, ingested: 1 });
    expect(await journeyOf(seq)).toMatchObject({ stage: "consideration" });
    expect((await inboxRows()).find((r) => r.webhook_id === `lease-${seq}`)).toMatchObject({ state: "done", attempts: 2 });
  });
});

describe("order", () => {
  it("two drainers taking one shop's inbox in small batches end in the journeys of in-order delivery", async () => {
    const shoppers = Array.from({ length: 6 }, (_, i) => seq + i);
    const twins = shoppers.map((n) => n + 1000);
    // The twins: each webhook ingested before the next is posted.
    drainStep.enabled = true;
    for (const n of twins) {
      await checkout(n);
      await checkout(n, { topic: "checkouts/update", updatedAt: new Date(T.getTime() + 3 * MIN) });
      if (n % 2 === 0) await order(n);
    }
    // The same deliveries written to the inbox, then two drainers at once, three rows a claim.
    drainStep.enabled = false;
    for (const n of shoppers) {
      await checkout(n);
      await checkout(n, { topic: "checkouts/update", updatedAt: new Date(T.getTime() + 3 * MIN) });
      if (n % 2 === 0) await order(n);
    }
    const { sql } = await database();
    const { drainInboxFully } = await import("~/webhooks/drain-inbox.server");
    const drainer = (workerId: string) => drainInboxFully({ sql, workerId, now: () => clock.now(), shop: TEST_SHOP, batchSize: 3 });
    const [a, b] = await Promise.all([drainer("a"), drainer("b")]);
    expect(a.ingested + b.ingested).toBe(shoppers.length * 2 + shoppers.filter((n) => n % 2 === 0).length);
    expect(a.retrying + b.retrying + a.parked + b.parked).toBe(0);
    for (const [i, n] of shoppers.entries()) {
      expect({ n, journey: await journeyOf(n) }).toEqual({ n, journey: await journeyOf(twins[i]!) });
    }
  });

  it("holds a due text back while an order for its shop waits in the inbox, so the order cancels it", async () => {
    drainStep.enabled = true;
    await checkout(seq);
    drainStep.enabled = false;
    clock.advance(19 * MIN);
    expect((await order(seq)).status).toBe(200); // acknowledged, not yet ingested
    clock.advance(2 * MIN); // the cart text (20 minutes) is due
    expect(await dispatchOnce(fake)).toMatchObject({ claimed: 0 });
    await drainWebhooks({ shop: TEST_SHOP });
    await dispatchOnce(fake);
    expect(fake.messages.filter((m) => m.to === phoneOf(seq))).toEqual([]);
    expect((await journeyOf(seq)).messages.filter((m) => m.startsWith("cart:"))).toEqual([expect.stringMatching(/^cart:TOKEN:1 cancelled ordered/)]);
  });
});

describe("customers/redact", () => {
  it("erases the customer's webhooks still waiting in the inbox, pending or parked, and no one else's", async () => {
    const { sql } = await database();
    const [mine, parked, other] = [seq, seq + 1, seq + 2];
    const email = `redact-${seq}@example.com`;
    // Their checkout failed its first ingest and waits for a retry; an older one of theirs is parked.
    await sql.query(`INSERT INTO fail_webhook VALUES ($1), ($2)`, [`r-${mine}`, `r-${parked}`]);
    await checkout(mine, { webhookId: `r-${mine}`, customerId: "777001", email });
    await checkout(parked, { webhookId: `r-${parked}`, customerId: "777001", email: `old-${email}` });
    await drainWebhooks({ shop: TEST_SHOP, timing: { ...INBOX_TIMING, maxAttempts: 1 } }); // parks both...
    await sql.query(`UPDATE webhook_inbox SET state = 'pending', available_at = $2 WHERE webhook_id = $1`, [`r-${mine}`, new Date(T.getTime() + MIN)]); // ...one goes back to waiting
    await checkout(other, { webhookId: `r-${other}` });
    await sql.query(`DELETE FROM fail_webhook`);

    const redact = { ...fixture("customers_redact"), shop_domain: TEST_SHOP, customer: { id: 777001, email, phone: null }, orders_to_redact: [] };
    expect((await call(customersRedact, webhookRequest("customers/redact", redact, { webhookId: `redact-${seq}` }))).status).toBe(200);
    expect(await drainWebhooks({ shop: TEST_SHOP })).toMatchObject({ ingested: 2 }); // the other shopper's checkout and the redact
    clock.advance(10 * MIN); // their checkout's retry would be due now
    expect(await drainWebhooks({ shop: TEST_SHOP })).toMatchObject({ claimed: 0 });

    const left = await inboxRows();
    expect(left.map((r) => r.webhook_id)).not.toContain(`r-${mine}`);
    expect(left.map((r) => r.webhook_id)).not.toContain(`r-${parked}`);
    expect(left.find((r) => r.webhook_id === `r-${other}`)).toMatchObject({ state: "done" });
    expect(left.find((r) => r.webhook_id === `redact-${seq}`)).toMatchObject({ state: "done", body: null });
    expect(await shopperOf(mine)).toBeNull();
    expect(await shopperOf(other)).not.toBeNull();
    for (const needle of [phoneOf(mine), phoneOf(parked), email, "777001"]) expect({ needle, found: await tablesMentioning(needle, TEST_SHOP) }).toEqual({ needle, found: {} });
  });
});

describe("the inbox on the app clock (received_at is stamped by it, like due_at)", () => {
  it("the doctor measures the backlog's age from the app clock, not the database's", async () => {
    const { sql } = await database();
    expect((await checkout(seq, { webhookId: `aged-${seq}` })).status).toBe(200);
    expect(await webhookInboxCheck(sql, clock.now())).toMatchObject({ status: "ok" });
    const check = await webhookInboxCheck(sql, new Date(clock.now().getTime() + 10 * MIN));
    expect(check).toMatchObject({ status: "warn" });
    expect(check.detail).toContain("the oldest for 10 minutes");
    await drainWebhooks({ shop: TEST_SHOP });
  });

  it("forgets an ingested webhook a day after the app clock received it", async () => {
    const { sql } = await database();
    const id = `pruned-${seq}`;
    expect((await checkout(seq, { webhookId: id })).status).toBe(200);
    expect(await drainWebhooks({ shop: TEST_SHOP })).toMatchObject({ ingested: 1 });
    await pruneInbox(sql, new Date(clock.now().getTime() + 23 * 60 * MIN));
    expect((await inboxRows()).map((r) => r.webhook_id)).toContain(id);
    await pruneInbox(sql, new Date(clock.now().getTime() + 25 * 60 * MIN));
    expect((await inboxRows()).map((r) => r.webhook_id)).not.toContain(id);
  });
});
