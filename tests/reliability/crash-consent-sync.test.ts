import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBenchDatabase, type BenchDatabase } from "../../scripts/bench/bench-database";
import { appEnv, BENCH_SECRET, spawnScript, stopChild, waitForLine } from "../../scripts/bench/child-process";
import { queueConsentSync } from "~/consent-sync/queue.server";
import { mintSessionToken } from "~/demo/session-token.server";
import { recordInstall } from "~/services/shops.server";
import { upsertShopper } from "~/services/shoppers.server";
import { startShopifyStandin, type ShopifyStandin } from "../support/shopify-standin";
import { reportFigures } from "./support/report";
import { databaseKind as kind, explainKillTestSkip, KILL_TESTS_SKIPPED } from "./support/sizes";

// Promise (issue #17, item 5; ADR 017): a worker killed with SIGKILL in the middle of telling
// Shopify about STOPs loses none of them: after a restart every opt-out reaches the shopper's
// Shopify customer, and every row ends `synced`. (Before the consent_sync outbox the push lived
// only in the web process's memory, so a crash there lost it for good.)
const WORKER = "tests/reliability/support/consent-sync-worker.ts";
const API_KEY = "nudge-bench-key";
const SHOP = "consent-crash.myshopify.com";
const SHOPPERS = 12;
const HUNG = 3;

let db: BenchDatabase;
let standin: ShopifyStandin;
/** Customer ids Shopify has taken an UNSUBSCRIBED for. */
const taken = new Set<string>();
let hangNext = HUNG;
const hungCustomers: string[] = [];

explainKillTestSkip("crash-consent-sync");

beforeAll(async () => {
  if (KILL_TESTS_SKIPPED) return;
  standin = await startShopifyStandin({ apiKey: API_KEY, apiSecret: BENCH_SECRET, scope: "read_orders,write_customers,write_discounts" });
  standin.answer("nudgeSmsConsent", (call) => {
    const input = call.variables.input as { customerId: string; smsMarketingConsent: { marketingState: string } };
    // The first few pushes never get an answer: the worker is killed while waiting for them.
    if (hangNext > 0) {
      hangNext--;
      hungCustomers.push(input.customerId);
      return new Promise(() => undefined);
    }
    if (input.smsMarketingConsent.marketingState === "UNSUBSCRIBED") taken.add(input.customerId);
    return { customerSmsMarketingConsentUpdate: { customer: { id: input.customerId }, userErrors: [] } };
  });
  db = createBenchDatabase("consentcrash");
  const database = await db.open();
  try {
    // The shop's offline session holds a live expiring token from the stand-in (as a token exchange stores it).
    const token = await exchangeToken();
    await recordInstall(database.prisma, SHOP, { name: "Crash Co" });
    await database.prisma.session.create({
      data: {
        id: `offline_${SHOP}`,
        shop: SHOP,
        state: "",
        isOnline: false,
        accessToken: token.access_token,
        scope: token.scope,
        expires: new Date(Date.now() + token.expires_in * 1000),
        refreshToken: token.refresh_token,
        refreshTokenExpires: new Date(Date.now() + token.refresh_token_expires_in * 1000),
      },
    });
    // Each shopper texted STOP: the opt-out and its sync row were committed together.
    for (let i = 0; i < SHOPPERS; i++) {
      await database.sql.transaction(async (tx) => {
        const shopper = await upsertShopper(tx, SHOP, { phone: `+1212555${8000 + i}`, phoneRegion: "US", customerId: String(770_000 + i) });
        await queueConsentSync(tx, SHOP, shopper!.id, { state: "UNSUBSCRIBED", optInLevel: null, at: new Date() });
      });
    }
  } finally {
    await database.close();
  }
}, 120_000);

afterAll(async () => {
  await standin?.close();
  await db?.drop();
});

describe.skipIf(KILL_TESTS_SKIPPED)("consent sync worker killed with SIGKILL mid-push and restarted", () => {
  it("delivers every STOP to Shopify and ends every row synced", async () => {
    const env = appEnv(db, { SHOPIFY_API_KEY: API_KEY, SHOPIFY_API_ORIGIN: standin.url, NUDGE_IN_PROCESS_WORKER: "off", LOG_LEVEL: "error" });
    const pushes = () => standin.adminCalls.filter((c) => c.operationName === "nudgeSmsConsent").length;

    const first = spawnScript(WORKER, [], env);
    await waitForLine(first, /ready/, 60_000);
    // Every row is on its way and some are still waiting for Shopify's answer: kill now.
    await until(() => pushes() >= SHOPPERS && taken.size >= SHOPPERS - HUNG, 60_000);
    first.child.kill("SIGKILL");
    await first.exited;
    expect(hungCustomers).toHaveLength(HUNG);
    expect(hungCustomers.some((id) => taken.has(id))).toBe(false);

    const second = spawnScript(WORKER, [], env);
    await waitForLine(second, /ready/, 60_000);
    await until(() => taken.size === SHOPPERS, 60_000);
    await stopChild(second);

    const database = await db.open();
    let rows: { customer_id: string; status: string; attempts: number }[];
    try {
      rows = await database.sql.query(`SELECT customer_id, status, attempts FROM consent_sync WHERE shop = $1`, [SHOP]);
    } finally {
      await database.close();
    }
    reportFigures("crash-consent-sync", kind, { rows: rows.length, kills: 1, hungAtKill: HUNG, pushes: pushes(), synced: rows.filter((r) => r.status === "synced").length });
    expect(rows).toHaveLength(SHOPPERS);
    expect(rows.filter((r) => r.status !== "synced")).toEqual([]);
    expect(taken).toEqual(new Set(rows.map((r) => `gid://shopify/Customer/${r.customer_id}`)));
    // The rows the dead worker held were pushed again by the new one after its lease ran out.
    for (const customer of hungCustomers) expect(rows.find((r) => `gid://shopify/Customer/${r.customer_id}` === customer)).toMatchObject({ attempts: 2 });
  }, 300_000);
});

async function exchangeToken(): Promise<{ access_token: string; scope: string; expires_in: number; refresh_token: string; refresh_token_expires_in: number }> {
  const response = await fetch(`${standin.url}/admin/oauth/access_token`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-shopify-shop-domain": SHOP },
    body: JSON.stringify({
      client_id: API_KEY,
      client_secret: BENCH_SECRET,
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: await mintSessionToken({ shop: SHOP, apiKey: API_KEY, apiSecret: BENCH_SECRET }),
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
      expiring: "1",
    }),
  });
  return response.json() as never;
}

async function until(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}
