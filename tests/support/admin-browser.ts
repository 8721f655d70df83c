import { mkdirSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { expect } from "vitest";
import { postSignedWebhook } from "~/demo/shopify-payloads";
import { startDemo, type DemoOptions, type DemoProcess } from "./demo-process";

// Drives the embedded admin of `npm run demo` in Debian's Chromium through playwright-core (README, "Test").
export const DEMO_SHOP = "nudge-demo.myshopify.com";
export const SHOTS = "test-output/screens";
// authenticate.admin answers bots (isbot matches "HeadlessChrome") with 410.
export const CHROME_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";

export interface AdminHarness {
  demo: DemoProcess;
  baseUrl: string;
  secret: string;
  /** A fresh browser page with the Chrome user agent and no route off this machine. */
  newPage(): Promise<{ page: Page; errors: string[] }>;
  /** Opens /demo (which mints a session token) and waits for the dashboard. */
  openAdmin(page: Page): Promise<void>;
  webhook(topic: string, payload: unknown, secret?: string): Promise<Response>;
  close(): Promise<void>;
}

export async function startAdminHarness(env: Record<string, string> = {}, options: Omit<DemoOptions, "env"> = {}): Promise<AdminHarness> {
  const secret = env.SHOPIFY_API_SECRET ?? "e2e-demo-secret";
  const demo = await startDemo({ ...options, env: { SHOPIFY_API_SECRET: secret, ...env } });
  let browser: Browser | null = null;
  mkdirSync(SHOTS, { recursive: true });
  return {
    demo,
    baseUrl: demo.baseUrl,
    secret,
    async newPage() {
      browser ??= await chromium.launch({
        executablePath: "/usr/bin/chromium",
        args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
      });
      const page = await (await browser.newContext({ userAgent: CHROME_UA, viewport: { width: 1280, height: 900 } })).newPage();
      // Only the app itself: Shopify's CDN (fonts) is out of reach here.
      await page.route(/^https:\/\//, (route) => route.abort());
      page.setDefaultTimeout(10_000);
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      return { page, errors };
    },
    async openAdmin(page) {
      // Generous: with the store simulator running, a busy machine serves the first page slowly.
      await page.goto(`${demo.baseUrl}/demo`, { timeout: 45_000 });
      await page.getByRole("heading", { name: "Results" }).waitFor({ timeout: 45_000 });
    },
    webhook: (topic, payload, key = secret) => signedWebhook(demo.baseUrl, topic, payload, key),
    async close() {
      await browser?.close();
      await demo.stop();
    },
  };
}

/** A webhook to the demo's shop, signed with `secret` as Shopify signs it. */
export function signedWebhook(baseUrl: string, topic: string, payload: unknown, secret: string): Promise<Response> {
  return postSignedWebhook(baseUrl, payload, { topic, shop: DEMO_SHOP, secret, apiVersion: "2026-04" });
}

/** Fails the test when the page threw in the browser. */
export function expectNoPageErrors(errors: string[]): void {
  expect(errors).toEqual([]);
}
