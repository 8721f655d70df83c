import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { postSignedWebhook } from "~/demo/shopify-payloads";
import { adminHost, mintSessionToken } from "~/demo/session-token.server";
import { ensureAppBuilt } from "./app-build";
import { freePort } from "./demo-process";
import type { ShopifyStandin } from "./shopify-standin";

/** The scopes a real install grants (shopify.app.toml), for the stand-in Shopify's token exchange. */
export const INSTALL_SCOPES = "read_orders,read_all_orders,read_customers,write_customers,write_discounts,write_app_proxy,write_pixels,read_customer_events";

/** A new shop's answers at the stand-in Shopify: its details, and no past orders to import. */
export function answerNewShop(standin: ShopifyStandin, shop: { name: string; contactEmail: string }): void {
  standin.answer("nudgeShopDetails", () => ({
    shop: { name: shop.name, currencyCode: "USD", ianaTimezone: "America/New_York", contactEmail: shop.contactEmail, shopAddress: { countryCodeV2: "US" } },
  }));
  standin.answer("nudgeOrderHistoryCount", () => ({ ordersCount: { count: 0, precision: "EXACT" } }));
  standin.answer("nudgeOrderHistoryExport", () => ({ bulkOperationRunQuery: { bulkOperation: { id: "gid://shopify/BulkOperation/1", status: "CREATED" }, userErrors: [] } }));
  standin.answer("nudgeOrderHistoryExportStatus", () => ({
    bulkOperation: { id: "gid://shopify/BulkOperation/1", status: "COMPLETED", errorCode: null, objectCount: "0", url: null, partialDataUrl: null },
  }));
  standin.answer("nudgeDiscount", () => ({ discountCodeBasicCreate: { codeDiscountNode: { id: "gid://shopify/DiscountCodeNode/7001" }, userErrors: [] } }));
}

export interface BuiltServer {
  baseUrl: string;
  output(): string;
  /** Polls until probe answers something truthy; the error carries the server's last output. */
  waitFor<T>(what: string, probe: () => T | undefined | null | Promise<T | undefined | null>, timeoutMs?: number): Promise<T>;
  /** The embedded admin's first request, with a session token Shopify would sign. */
  adminLoad(options?: { redirect?: RequestRedirect }): Promise<Response>;
  /** A webhook signed with the app's secret, as Shopify sends it. */
  sendWebhook(topic: string, payload: unknown): Promise<Response>;
  stop(): Promise<void>;
}

/**
 * The app as production runs it (`npm run build`, then `npm start`'s serve.js) for one shop,
 * with its own data directory, the in-process worker and a clock that starts at `start` and runs
 * 240 times fast (a 20-minute cart delay in 5 s). Shopify and Twilio are the given stand-ins.
 * Not faster: a test that starts at 10:00 in New York has the 11 hours to quiet hours (165 s)
 * to get its texts out, with other test files beside it on the machine (at 600 times fast,
 * 66 s; real-install timed out with its text deferred when CI once ran two files at a time).
 */
export async function startBuiltServer(options: {
  shop: string;
  apiKey: string;
  apiSecret: string;
  start: string;
  shopifyOrigin: string;
  twilioUrl: string;
  env?: Record<string, string>;
}): Promise<BuiltServer> {
  await ensureAppBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), "nudge-built-server-"));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    SHOPIFY_API_KEY: options.apiKey,
    SHOPIFY_API_SECRET: options.apiSecret,
    SHOPIFY_APP_URL: baseUrl,
    SHOPIFY_API_ORIGIN: options.shopifyOrigin,
    TWILIO_API_BASE_URL: options.twilioUrl,
    NUDGE_DATA_DIR: dataDir,
    NUDGE_IN_PROCESS_WORKER: "on",
    NUDGE_CLOCK_START: options.start,
    NUDGE_TIME_SCALE: "240",
    LOG_LEVEL: "info",
    ...options.env,
  };
  delete env.NUDGE_DEMO;
  let output = "";
  const server: ChildProcess = spawn(process.execPath, ["--max-old-space-size=512", "build/entry/serve.js"], { env, stdio: ["ignore", "pipe", "pipe"] });
  server.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  server.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));

  async function waitFor<T>(what: string, probe: () => T | undefined | null | Promise<T | undefined | null>, timeoutMs = 60_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n--- server output ---\n${output.slice(-4000)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  await waitFor("the server to listen", () => output.includes("Nudge listening on"));

  return {
    baseUrl,
    output: () => output,
    waitFor,
    async adminLoad({ redirect = "follow" } = {}) {
      const idToken = await mintSessionToken({ shop: options.shop, apiKey: options.apiKey, apiSecret: options.apiSecret });
      const url = new URL("/app", baseUrl);
      url.search = new URLSearchParams({ embedded: "1", shop: options.shop, host: adminHost(options.shop), id_token: idToken }).toString();
      return fetch(url, { redirect, headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36" } });
    },
    sendWebhook(topic, payload) {
      return postSignedWebhook(baseUrl, payload, { topic, shop: options.shop, secret: options.apiSecret, apiVersion: "2026-04" });
    },
    async stop() {
      if (server.exitCode === null) {
        const exited = new Promise((resolve) => server.once("exit", resolve));
        server.kill("SIGTERM");
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
