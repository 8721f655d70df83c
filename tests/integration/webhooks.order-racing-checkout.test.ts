import { beforeAll, describe, expect, it, vi } from "vitest";
import type { PrismaClient } from "@prisma/client";
import { database } from "~/db.server";
import { applyWebhooks, parseWebhook, type WebhookInput, type WebhookTopic } from "~/webhooks/ingest.server";
import { checkoutPayload, fixture, installShop, orderPayload, TEST_SHOP } from "../support/shopify";

// An order ingested while its checkout's transaction was still open looked its checkout up
// before anything made it wait for that transaction: it saw no checkout, then waited for the
// shopper's identity locks, and stored the order without completing the checkout, whose own
// look-up of earlier orders had already run. The checkout stayed open. Found by the two-drainer
// test in webhook-inbox.test.ts (one run in three on PostgreSQL), where a lane split between
// two drainers' batches put a checkout and its order in two transactions at once.

const T = new Date("2026-11-24T15:00:00Z");
const MIN = 60_000;
let prisma: PrismaClient;

const input = (topic: WebhookTopic, webhookId: string, payload: unknown): WebhookInput => {
  const parsed = parseWebhook(topic, payload);
  if (!parsed.ok) throw new Error(parsed.issues.join("; "));
  return { shop: TEST_SHOP, topic, webhookId, payload: parsed.payload, now: T };
};

beforeAll(async () => {
  prisma = await installShop();
});

// Two transactions at once on two connections: PGlite has one backend, which runs them one after the other.
describe.runIf(process.env.DATABASE_URL)("an order ingested while its checkout's transaction is still open", () => {
  it("waits for that transaction and completes the checkout", async () => {
    const { sql } = await database();
    const [token, phone, customerId] = ["race-checkout", "+16134440777", 7700777];
    const customer = { ...fixture("orders_create").customer, id: customerId, admin_graphql_api_id: `gid://shopify/Customer/${customerId}`, email: "race@example.com" };
    const checkout = input("CHECKOUTS_CREATE", "race-checkout", checkoutPayload({ token, createdAt: T, phone, customerId: String(customerId), email: customer.email }));
    const order = input("ORDERS_CREATE", "race-order", orderPayload({ id: "7700777", checkoutToken: token, createdAt: new Date(T.getTime() + 5 * MIN), phone, email: customer.email, customer }));

    // GIVEN the checkout ingested in a transaction that has not committed yet
    let commitCheckout!: () => void;
    let checkoutApplied!: () => void;
    const applied = new Promise<void>((resolve) => (checkoutApplied = resolve));
    const checkoutTx = sql.transaction(async (tx) => {
      await applyWebhooks(tx, [checkout]);
      checkoutApplied();
      await new Promise<void>((resolve) => (commitCheckout = resolve));
    });
    await applied;

    // WHEN its order is ingested on another connection, and the checkout commits once the order waits on a lock
    let orderPid!: (pid: number) => void;
    const pid = new Promise<number>((resolve) => (orderPid = resolve));
    const orderTx = sql.transaction(async (tx) => {
      orderPid((await tx.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid`))[0]!.pid);
      return applyWebhooks(tx, [order]);
    });
    const orderBackend = await pid;
    await vi.waitFor(
      async () => {
        const [waiting] = await sql.query<{ lock: boolean }>(`SELECT wait_event_type = 'Lock' AS lock FROM pg_stat_activity WHERE pid = $1`, [orderBackend]);
        expect(waiting?.lock).toBe(true);
      },
      { timeout: 10_000, interval: 20 },
    );
    commitCheckout();
    await checkoutTx;
    expect(await orderTx).toEqual(["journey:conversion"]);

    // THEN the checkout is completed at the order's time, as with the two in either order
    const stored = await prisma.checkout.findFirstOrThrow({ where: { shop: TEST_SHOP, token } });
    expect(stored.completedAt).toEqual(new Date(T.getTime() + 5 * MIN));
    const shopper = await prisma.shopper.findFirstOrThrow({ where: { shop: TEST_SHOP, phone } });
    expect(await prisma.order.findFirstOrThrow({ where: { shop: TEST_SHOP, checkoutToken: token } })).toMatchObject({ shopperId: shopper.id });
    expect(stored.shopperId).toBe(shopper.id);
  });
});
