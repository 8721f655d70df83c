import { mkdirSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { postSignedWebhook } from "~/demo/shopify-payloads";
import { startFakeTwilio, type FakeAccount, type FakeTwilio } from "../mocks/twilio";
import { ensureAppBuilt } from "./app-build";
import { startDemo, type DemoOptions, type DemoProcess } from "./demo-process";
import { fakeTwilioSenderEnv } from "./demo-twilio";

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

export interface AdminWithTwilio extends AdminHarness {
  /** The local fake every Twilio call of the demo goes to; closed with the harness. */
  fake: FakeTwilio;
  /**
   * The demo's own clock (epoch ms), read from its /demo/clock route. With a time scale it runs
   * that many times fast from its first read, some instant after the harness started the demo;
   * how long that start took on a busy machine is unknown here, so an estimate from the test's
   * side could run far ahead of it.
   */
  demoNow(): Promise<number>;
}

interface AdminTwilioOptions {
  /** The demo gets a Twilio sender of its own pointed at the fake: texts go out with no merchant account. */
  sender?: boolean;
  /** Accounts the fake knows, for a merchant to connect in Settings. */
  accounts?: FakeAccount[];
  /** NUDGE_TIME_SCALE: the demo's clock runs this many times fast. */
  timeScale?: number;
}

/**
 * For a test file: before its tests, a fake Twilio (every Twilio call of the demo goes to it)
 * and the admin harness; after them, both closed. The `admin` and `fake` returned stand for
 * the ones started, so the file names them at its top; they work inside hooks and tests.
 * Hooks the file adds after this call run once both are up.
 */
export function setUpAdminHarness(options: AdminTwilioOptions = {}): { admin: AdminWithTwilio; fake: FakeTwilio } {
  const admin = lateBound<AdminWithTwilio>("the admin harness");
  const fake = lateBound<FakeTwilio>("the fake Twilio");
  let started: AdminWithTwilio | undefined;
  beforeAll(async () => {
    started = await startAdminWithTwilio(options);
    admin.bind(started);
    fake.bind(started.fake);
  }, 300_000);
  afterAll(() => started?.close());
  return { admin: admin.value, fake: fake.value };
}

async function startAdminWithTwilio(options: AdminTwilioOptions): Promise<AdminWithTwilio> {
  const fake = await startFakeTwilio();
  for (const account of options.accounts ?? []) fake.addAccount(account);
  // Built first, so that the build's minutes are not counted on the demo's fast clock.
  await ensureAppBuilt();
  const env = { ...(options.sender ? fakeTwilioSenderEnv(fake) : { TWILIO_API_BASE_URL: fake.url }), ...(options.timeScale ? { NUDGE_TIME_SCALE: String(options.timeScale) } : {}) };
  const admin = await startAdminHarness(env).catch(async (error: unknown) => {
    await fake.close();
    throw error;
  });
  return {
    ...admin,
    fake,
    demoNow: async () => {
      const { now } = (await (await fetch(`${admin.baseUrl}/demo/clock`)).json()) as { now: string };
      return Date.parse(now);
    },
    async close() {
      await admin.close();
      await fake.close();
    },
  };
}

/** Stands for an object a beforeAll makes later: every member read goes to it once bound. */
function lateBound<T extends object>(what: string): { value: T; bind(target: T): void } {
  let target: T | undefined;
  const value = new Proxy({} as T, {
    get(_, key) {
      // Not a promise, whatever is asked before binding (await, inspection).
      if (!target && (key === "then" || typeof key === "symbol")) return undefined;
      if (!target) throw new Error(`${what} is used before its beforeAll started it`);
      const member = Reflect.get(target, key);
      return typeof member === "function" ? member.bind(target) : member;
    },
  });
  return { value, bind: (started) => void (target = started) };
}

/** Polls `condition` every `every` ms until it holds; throws after `timeout` ms. */
export async function untilDemo(condition: () => boolean, timeout: number, every = 250): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the demo");
    await new Promise((resolve) => setTimeout(resolve, every));
  }
}

/** A webhook to the demo's shop, signed with `secret` as Shopify signs it. */
export function signedWebhook(baseUrl: string, topic: string, payload: unknown, secret: string): Promise<Response> {
  return postSignedWebhook(baseUrl, payload, { topic, shop: DEMO_SHOP, secret, apiVersion: "2026-04" });
}

/** Fails the test when the page threw in the browser. */
export function expectNoPageErrors(errors: string[]): void {
  expect(errors).toEqual([]);
}
