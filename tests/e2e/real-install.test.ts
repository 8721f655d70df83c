import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { checkoutPayload, webhookHeaders } from "~/demo/shopify-payloads";
import { adminHost, mintSessionToken } from "~/demo/session-token.server";
import { startFakeTwilio, type FakeMessage, type FakeTwilio } from "../mocks/twilio";
import { ensureAppBuilt } from "../support/app-build";
import { freePort } from "../support/demo-process";
import { validateAdminCall } from "../support/admin-schema";
import { startShopifyStandin, type ShopifyStandin } from "../support/shopify-standin";

vi.setConfig({ testTimeout: 120_000, hookTimeout: 300_000 });

// A new merchant's store, met as production meets it: `npm run build`, then the built server
// (`npm start`'s serve.js), a stand-in Shopify (token endpoint and Admin GraphQL) reached through
// SHOPIFY_API_ORIGIN, and the fake Twilio. Nothing is seeded: the install, the shop's details,
// the token refresh and the text all happen as they would on a real store.
const SHOP = "alpine-outfitters.myshopify.com";
const API_KEY = "real-install-key";
const API_SECRET = "real-install-secret-0123456789";
const START = "2026-12-07T15:00:00Z"; // 10:00 in New York: inside quiet hours' window
// Four shoppers, so the cart flow's 10% control group (chosen by a hash of a random shopper id)
// can't hold back every one of them (1 in 10,000).
const PHONES = ["+12125550188", "+12125550189", "+12125550190", "+12125550191"];

let standin: ShopifyStandin;
let twilio: FakeTwilio;
let server: ChildProcess;
let baseUrl: string;
let output = "";
const dataDir = mkdtempSync(join(tmpdir(), "nudge-real-install-"));

async function waitFor<T>(what: string, probe: () => T | undefined | null, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n--- server output ---\n${output.slice(-4000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  await ensureAppBuilt();
  standin = await startShopifyStandin({ apiKey: API_KEY, apiSecret: API_SECRET, scope: "read_orders,read_all_orders,read_customers,write_customers,write_discounts,write_app_proxy,write_pixels,read_customer_events" });
  // Tokens live one minute: well inside the app's refresh margin, so the first Admin API call
  // the dispatcher makes must refresh first.
  standin.setAccessTokenTtl(60);
  standin.answer("nudgeShopDetails", () => ({
    shop: { name: "Alpine Outfitters", currencyCode: "USD", ianaTimezone: "America/New_York", contactEmail: "help@alpine-outfitters.example", shopAddress: { countryCodeV2: "US" } },
  }));
  // A new shop with no past orders: the history import finds nothing to bring in.
  standin.answer("nudgeOrderHistoryCount", () => ({ ordersCount: { count: 0, precision: "EXACT" } }));
  standin.answer("nudgeOrderHistoryExport", () => ({ bulkOperationRunQuery: { bulkOperation: { id: "gid://shopify/BulkOperation/1", status: "CREATED" }, userErrors: [] } }));
  standin.answer("nudgeOrderHistoryExportStatus", () => ({
    bulkOperation: { id: "gid://shopify/BulkOperation/1", status: "COMPLETED", errorCode: null, objectCount: "0", url: null, partialDataUrl: null },
  }));
  standin.answer("nudgeDiscount", () => ({ discountCodeBasicCreate: { codeDiscountNode: { id: "gid://shopify/DiscountCodeNode/7001" }, userErrors: [] } }));
  twilio = await startFakeTwilio();
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    SHOPIFY_API_KEY: API_KEY,
    SHOPIFY_API_SECRET: API_SECRET,
    SHOPIFY_APP_URL: baseUrl,
    SHOPIFY_API_ORIGIN: standin.url,
    TWILIO_API_BASE_URL: twilio.url,
    NUDGE_DATA_DIR: dataDir,
    NUDGE_IN_PROCESS_WORKER: "on",
    NUDGE_CLOCK_START: START,
    NUDGE_TIME_SCALE: "600", // the 20-minute cart delay in 2 s
    LOG_LEVEL: "info",
  };
  delete env.NUDGE_DEMO;
  server = spawn(process.execPath, ["--max-old-space-size=512", "build/entry/serve.js"], { env, stdio: ["ignore", "pipe", "pipe"] });
  server.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  server.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await waitFor("the server to listen", () => output.includes("Nudge listening on"));
});

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGTERM");
    await exited;
  }
  await standin?.close();
  await twilio?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function firstAdminLoad() {
  const idToken = await mintSessionToken({ shop: SHOP, apiKey: API_KEY, apiSecret: API_SECRET });
  const url = new URL("/app", baseUrl);
  url.search = new URLSearchParams({ embedded: "1", shop: SHOP, host: adminHost(SHOP), id_token: idToken }).toString();
  return fetch(url, { headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36" } });
}

async function sendWebhook(topic: string, payload: unknown) {
  const body = JSON.stringify(payload);
  const headers = webhookHeaders({ topic, shop: SHOP, body, secret: API_SECRET, apiVersion: "2026-04" });
  return fetch(new URL(`/webhooks/${topic}`, baseUrl), { method: "POST", headers, body });
}

describe("a real install, started as production runs it", () => {
  it("exchanges the first admin load's session token for an expiring offline token", async () => {
    const response = await firstAdminLoad();
    expect(response.status).toBe(200);
    // Remix runs the layout's and the page's loaders at once, and each may exchange the token.
    const exchanges = standin.tokenRequests.filter((r) => r.grant === "token_exchange");
    expect(exchanges.length).toBeGreaterThan(0);
    expect(exchanges.every((r) => r.shop === SHOP && r.expiring && r.ok)).toBe(true);
    expect(standin.tokenRequests.some((r) => r.grant === "migrate")).toBe(false);
  });

  it("reads the shop's name, currency and time zone", async () => {
    const call = await waitFor("the shop details query", () => standin.adminCalls.find((c) => /\bshop\s*\{/.test(c.query)));
    expect(call.shop).toBe(SHOP);
    expect(call.query).toMatch(/currencyCode/);
    expect(call.query).toMatch(/ianaTimezone/);
  });

  let text: FakeMessage;
  let landing: URL;
  it("texts a consenting US shopper's abandoned checkout, branded with the shop's name, with a code minted after a token refresh", async () => {
    const now = new Date(START);
    for (const [i, phone] of PHONES.entries()) {
      const response = await sendWebhook("checkouts/create", checkoutPayload({ token: `real-install-${i}`, createdAt: now, phone }));
      expect(response.status).toBe(200);
    }

    text = await waitFor("the cart text", () => twilio.messages.find((m) => PHONES.includes(m.to)));
    expect(text.body).toContain("Alpine Outfitters");

    const link = text.body.match(/https?:\/\/\S+\/r\/\S+/)?.[0];
    expect(link).toBeDefined();
    const followed = await fetch(link!.replace(/[.,)]+$/, ""), { redirect: "manual" });
    expect(followed.status).toBe(302);
    landing = new URL(followed.headers.get("location")!);
    const code = decodeURIComponent(landing.pathname.split("/").pop()!);
    const mint = standin.adminCalls.find((c) => c.operationName === "nudgeDiscount" && (c.variables.basicCodeDiscount as { code: string }).code === code);
    expect(mint).toBeDefined();
    // Tokens live a minute, so the install's exchanged token was refreshed before the code was minted.
    expect(standin.tokenRequests.some((r) => r.grant === "refresh_token" && r.ok)).toBe(true);
    expect(standin.grantOf(mint!.accessToken)).toBe("refresh_token");
  });

  it("links the text to https://<shop>/discount/<that code>?redirect=<checkout>", () => {
    expect(landing.origin).toBe(`https://${SHOP}`);
    expect(landing.pathname).toMatch(/^\/discount\/[A-Z0-9-]+$/);
    expect(landing.searchParams.get("redirect")).toMatch(/^\/\d+\/checkouts\/|^\/checkouts\//);
  });

  it("sent every Admin API document with variables valid against Shopify's 2026-04 schema", () => {
    expect(standin.adminCalls.length).toBeGreaterThan(0);
    for (const call of standin.adminCalls) expect(validateAdminCall(call.query, call.variables), call.operationName ?? "").toEqual([]);
  });
});
