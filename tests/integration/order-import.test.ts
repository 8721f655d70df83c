import { readFileSync } from "node:fs";
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AdminApiResult } from "~/adapters/shopify-admin.server";
import { fixedClock, setClock } from "~/clock.server";
import { database } from "~/db.server";
import { claimOrderImport, IMPORT_TIMING } from "~/order-import/claim.server";
import { enqueueOrderImport } from "~/order-import/queue.server";
import { advanceOrderImport } from "~/order-import/import-step.server";
import { importOrdersTick, importStepDeps, type OrderImporterOptions } from "~/order-import/importer.server";
import Dashboard, { loader as dashboardLoader } from "~/routes/app._index";
import { action as appUninstalled } from "~/routes/webhooks.app.uninstalled";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as shopRedact } from "~/routes/webhooks.shop.redact";
import { fakeBulkExport, fakeShopifyAdmin } from "../mocks/shopify-admin";
import { adminRequest } from "../support/admin-request";
import { renderPage } from "../support/render-page";
import { fixture, installShop, orderPayload, webhookRequest } from "../support/shopify";

// The order-history import on install (issue #16, docs/decisions/014-order-history-import.md),
// through the real Shopify client against a fake Admin API serving a bulk export's JSONL.
const T = new Date("2026-11-24T15:00:00Z");
const clock = fixedClock(T);
const JSONL = readFileSync(new URL("../fixtures/shopify/bulk_orders.jsonl", import.meta.url), "utf8");
const LINES = JSONL.trimEnd().split("\n");
let bulk: Awaited<ReturnType<typeof fakeBulkExport>>;
let admin: ReturnType<typeof fakeShopifyAdmin>;
let prisma: PrismaClient;
let n = 0;
let shop = "";

const call = (route: typeof ordersCreate, request: Request) => route({ request, params: {}, context: {} });
const importRow = () => prisma.orderImport.findUniqueOrThrow({ where: { shop } });
const shopperByPhone = (phone: string) => prisma.shopper.findUniqueOrThrow({ where: { shop_phone: { shop, phone } } });
const messages = () => prisma.scheduledMessage.findMany({ where: { shop }, orderBy: { dedupeKey: "asc" } });

/** Ticks the importer (advancing the clock past polls and backoff) until this shop's import is done. */
async function runImport(options: OrderImporterOptions = {}) {
  for (let i = 0; i < 30; i++) {
    const outcome = await importOrdersTick({ batchSize: 2, ...options });
    if ((await importRow()).status === "done") return;
    if (outcome === null) clock.advance(60_000);
  }
  throw new Error(`import not done: ${JSON.stringify(await importRow())}`);
}

/** Ticks until the export's file is known (started and polled to COMPLETED), without downloading. */
async function startExport() {
  await importOrdersTick(); // export_started
  clock.advance(IMPORT_TIMING.pollMs);
  await importOrdersTick(); // RUNNING
  clock.advance(IMPORT_TIMING.pollMs);
}

/** A live orders/create for the fixture's order 3 (Ben, two hours before now), as Shopify sends it. */
function benOrderWebhook() {
  return webhookRequest(
    "orders/create",
    orderPayload({
      id: "820000000003",
      createdAt: new Date(T.getTime() - 2 * 3_600_000),
      checkoutToken: null,
      phone: "+16135550102",
      customer: {
        ...fixture("orders_create").customer,
        id: 630000000002,
        admin_graphql_api_id: "gid://shopify/Customer/630000000002",
        phone: "+16135550102",
        sms_marketing_consent: { state: "subscribed", opt_in_level: "single_opt_in", consent_updated_at: "2026-06-01T09:30:00Z" },
      },
    }),
    { shop },
  );
}

beforeAll(async () => {
  setClock(clock);
  bulk = await fakeBulkExport({ jsonl: JSONL, ordersCount: LINES.length });
  admin = fakeShopifyAdmin(bulk.answer);
  ({ prisma } = await database());
});

afterAll(async () => {
  admin.restore();
  await bulk.close();
});

beforeEach(async () => {
  clock.set(T);
  n += 1;
  shop = `import-${n}.myshopify.com`;
  await installShop(shop);
  await prisma.shop.update({ where: { domain: shop }, data: { settings: { journey: { holdoutPercent: { cart_recovery: 0, win_back: 0, post_purchase: 0 } } } } });
  await enqueueOrderImport(shop);
});

describe("importing the shop's order history on install", () => {
  it("reads the last 12 months of orders into orders and shopper state, and knows how many to expect", async () => {
    await runImport();

    const orders = await prisma.order.findMany({ where: { shop }, orderBy: { shopifyOrderId: "asc" } });
    expect(orders.map((o) => [o.shopifyOrderId, o.source])).toEqual(LINES.map((_, i) => [`82000000000${i + 1}`, "import"]));
    expect(orders[2]).toMatchObject({ name: "#1003", currency: "CAD", presentmentCurrency: "USD" });
    expect(orders[2]!.presentmentTotal!.toString()).toBe("59.2");

    expect(await shopperByPhone("+16135550101")).toMatchObject({
      customerId: "630000000001",
      orderCount: 2,
      stage: "loyalty",
      lastOrderAt: new Date("2026-10-10T14:00:00Z"),
      consent: "granted",
    });
    expect(await shopperByPhone("+16135550104")).toMatchObject({ orderCount: 1, stage: "conversion", consent: "none" });
    expect(await prisma.shopper.findFirstOrThrow({ where: { shop, customerId: "630000000004" } })).toMatchObject({ phone: null, orderCount: 1 });

    expect(await importRow()).toMatchObject({ status: "done", linesDone: 6, ordersImported: 6, ordersExpected: 6, claimedBy: null });
    const exported = bulk.started.at(-1)!;
    expect(exported.shop).toBe(shop);
    expect(exported.variables.query).toContain(`orders(query: "created_at:>='2025-11-24T15:00:00.000Z'"`);
  });

  it("texts no one about an imported order: no post-purchase text however recent, win-back only for buyers with SMS consent", async () => {
    await runImport();
    // Ada (consented, last order 45 days ago) and Ben (consented, ordered 2 hours ago) are due
    // a win-back 60 days after their last order; Cleo (not subscribed) and the guest get nothing.
    expect((await messages()).map((m) => [m.dedupeKey, m.status, m.dueAt.toISOString()])).toEqual([
      ["win_back:820000000002", "scheduled", "2026-12-09T14:00:00.000Z"],
      ["win_back:820000000003", "scheduled", "2027-01-23T13:00:00.000Z"],
    ]);
  });

  it("resumes after a crash mid-file from the last committed batch, with no order twice", async () => {
    await startExport();
    const cut = LINES.slice(0, 3).join("\n").length + 1 + 40; // three whole lines and part of the fourth
    bulk.cutNextDownloadAfter(cut);
    expect(await importOrdersTick({ batchSize: 2 })).toBe("failed_will_retry");
    expect(await importRow()).toMatchObject({ status: "waiting", linesDone: 2, ordersImported: 2, attempts: 1 });
    expect(await prisma.order.count({ where: { shop } })).toBe(2);

    expect(await importOrdersTick({ batchSize: 2 })).toBeNull(); // backing off
    clock.advance(IMPORT_TIMING.retryBaseMs);
    expect(await importOrdersTick({ batchSize: 2 })).toBe("done:4_lines"); // lines 3-6 only

    expect(await prisma.order.count({ where: { shop } })).toBe(6);
    expect(await prisma.journeyEvent.count({ where: { shop, type: "order_created" } })).toBe(6);
    expect((await shopperByPhone("+16135550101")).orderCount).toBe(2);
    expect(await importRow()).toMatchObject({ status: "done", linesDone: 6, ordersImported: 6 });
  });

  it("gives up a download that stalls, and resumes it later", async () => {
    await startExport();
    bulk.stallNextDownloadAfter(LINES.slice(0, 2).join("\n").length + 1);
    expect(await importOrdersTick({ batchSize: 2, downloadIdleMs: 300 })).toBe("failed_will_retry");
    expect(await importRow()).toMatchObject({ status: "waiting", linesDone: 2, lastError: "export download stalled" });
    clock.advance(IMPORT_TIMING.retryBaseMs);
    expect(await importOrdersTick({ batchSize: 2 })).toBe("done:4_lines");
  });

  it("lets another worker take over an import whose worker died holding it, once the lease runs out", async () => {
    const { sql } = await database();
    expect(await claimOrderImport(sql, { now: clock.now(), workerId: "dead-worker", timing: IMPORT_TIMING })).toMatchObject({ shop });
    expect(await importOrdersTick()).toBeNull();
    clock.advance(IMPORT_TIMING.leaseMs + 1);
    expect(await importOrdersTick()).toBe("export_started");
  });

  it("keeps one order when orders/create delivered it before the import read it", async () => {
    expect((await call(ordersCreate, benOrderWebhook())).status).toBe(200);
    await runImport();
    const orders = await prisma.order.findMany({ where: { shop, shopifyOrderId: "820000000003" } });
    expect(orders.map((o) => o.source)).toEqual(["webhook"]);
    expect(await prisma.order.count({ where: { shop } })).toBe(6);
    expect(await shopperByPhone("+16135550102")).toMatchObject({ orderCount: 1, stage: "conversion" });
    expect(await importRow()).toMatchObject({ linesDone: 6, ordersImported: 5 });
  });

  it("keeps one order when orders/create delivers an imported order, which then counts as live (post-purchase)", async () => {
    await runImport();
    expect((await call(ordersCreate, benOrderWebhook())).status).toBe(200);
    expect((await call(ordersCreate, benOrderWebhook())).status).toBe(200); // another delivery of it

    const orders = await prisma.order.findMany({ where: { shop, shopifyOrderId: "820000000003" } });
    expect(orders.map((o) => o.source)).toEqual(["webhook"]);
    expect(await shopperByPhone("+16135550102")).toMatchObject({ orderCount: 1 });
    const keys = (await messages()).filter((m) => m.status === "scheduled").map((m) => m.dedupeKey);
    expect(keys).toEqual(["nps:820000000003", "post_purchase:820000000003", "win_back:820000000002", "win_back:820000000003"]);
  });

  it("shows its progress on the dashboard while it runs", async () => {
    await startExport();
    expect(await importOrdersTick({ batchSize: 2, stopping: () => true })).toBe("paused");

    const data = (await dashboardLoader({ request: await adminRequest("/app", { shop }), params: {}, context: {} })) as Awaited<ReturnType<typeof dashboardLoader>>;
    expect(data.orderImport).toEqual({ state: "importing", imported: 2, expected: 6, waitingFor: null });
    expect(renderPage(Dashboard, "/app", data)).toContain("Importing order history: 2 of ~6");

    await runImport();
    const after = (await dashboardLoader({ request: await adminRequest("/app", { shop }), params: {}, context: {} })) as typeof data;
    expect(after.orderImport).toBeNull();
    // Recency counts the imported buyers from day one: days since each one's last order.
    expect(after.hasActivity).toBe(true);
    expect(after.series.recency).toEqual({ edges: [30, 60, 90, 180], counts: [1, 2, 1, 0, 1] });
  });

  it("waits, and says so, while the shop must re-authorise or Shopify is unavailable, then finishes", async () => {
    const refused = async (): Promise<AdminApiResult> => ({ ok: false, reason: "needs_reauth", message: "refresh token refused" });
    const down = async (): Promise<AdminApiResult> => ({ ok: false, reason: "unavailable", message: "connect ECONNREFUSED" });

    expect(await importOrdersTick({ adminFor: refused })).toBe("waiting:needs_reauth");
    expect(await importRow()).toMatchObject({ status: "waiting", attempts: 1, lastError: "needs_reauth: refresh token refused" });
    const data = (await dashboardLoader({ request: await adminRequest("/app", { shop }), params: {}, context: {} })) as Awaited<ReturnType<typeof dashboardLoader>>;
    expect(data.orderImport).toMatchObject({ state: "waiting", waitingFor: "reauth" });
    expect(renderPage(Dashboard, "/app", data)).toContain("Order history import paused");

    clock.advance(IMPORT_TIMING.retryBaseMs);
    expect(await importOrdersTick({ adminFor: down })).toBe("waiting:unavailable");
    expect(await importOrdersTick()).toBeNull(); // the backoff doubled
    clock.advance(2 * IMPORT_TIMING.retryBaseMs);
    await runImport();
    expect(await importRow()).toMatchObject({ status: "done", ordersImported: 6, attempts: 0, lastError: null });
  });

  it("stops when the app is uninstalled, even mid-file, and is erased by shop/redact", async () => {
    await startExport();
    expect(await importOrdersTick({ batchSize: 2, stopping: () => true })).toBe("paused");
    const { sql } = await database();
    const held = await claimOrderImport(sql, { now: clock.now(), workerId: "busy-worker", timing: IMPORT_TIMING });
    expect(held).toMatchObject({ shop });

    expect((await call(appUninstalled, webhookRequest("app/uninstalled", { ...fixture("app_uninstalled"), myshopify_domain: shop }, { shop }))).status).toBe(200);
    expect(await importRow()).toMatchObject({ status: "stopped", claimedBy: null });
    // The worker that held it carries on with the file, and writes nothing more.
    const stillReachable = async (): Promise<AdminApiResult> => ({
      ok: true,
      admin: { graphql: async (query, options) => bulk.answer({ shop, accessToken: null, query, variables: options?.variables ?? {} }) },
    });
    const deps = importStepDeps(sql, { workerId: "busy-worker", batchSize: 2, adminFor: stillReachable });
    expect(await advanceOrderImport(deps, held!)).toBe("claim_lost");
    clock.advance(IMPORT_TIMING.leaseMs + 1);
    expect(await importOrdersTick()).toBeNull();
    expect(await prisma.order.count({ where: { shop } })).toBe(2);
    expect(await importRow()).toMatchObject({ status: "stopped", linesDone: 2 });

    expect((await call(shopRedact, webhookRequest("shop/redact", { ...fixture("shop_redact"), shop_domain: shop }, { shop }))).status).toBe(200);
    expect(await prisma.orderImport.findUnique({ where: { shop } })).toBeNull();
  });
});

describe("queueing the import", () => {
  it("queues it when a new shop's admin first opens the app (token exchange runs afterAuth)", async () => {
    const fresh = `fresh-${n}.myshopify.com`;
    // Shopify's token endpoint for the exchange (shopify.dev/docs/apps/build/authentication-authorization/access-tokens/token-exchange).
    const realFetch = globalThis.fetch;
    globalThis.fetch = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname === "/admin/oauth/access_token") return Response.json({ access_token: "shpat_exchanged", scope: process.env.SCOPES });
      return realFetch(input, init);
    };
    const exchange = fakeShopifyAdmin(bulk.answer);
    try {
      await dashboardLoader({ request: await adminRequest("/app", { shop: fresh }), params: {}, context: {} });
    } finally {
      exchange.restore();
      globalThis.fetch = realFetch;
      admin = fakeShopifyAdmin(bulk.answer);
    }
    expect(await prisma.orderImport.findUnique({ where: { shop: fresh } })).toMatchObject({
      status: "pending",
      since: new Date("2025-11-24T15:00:00Z"),
    });
  });
});
