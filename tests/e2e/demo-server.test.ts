import { mkdirSync } from "node:fs";
import { getHmac } from "@shopify/shopify-api/test-helpers";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeTwilio, type FakeTwilio } from "../mocks/twilio";
import { startDemo, type DemoProcess } from "../support/demo-process";
import { checkoutPayload } from "../support/shopify";

// `npm run demo` end to end: build, seed, serve over real HTTP, signed webhooks in.
const SECRET = "e2e-demo-secret";
const SHOTS = "test-output/screens";
const CHROME_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";
let demo: DemoProcess;
let baseUrl: string;

beforeAll(async () => {
  demo = await startDemo({ env: { SHOPIFY_API_SECRET: SECRET } });
  baseUrl = demo.baseUrl;
}, 180_000);

afterAll(() => demo?.stop());

function signedWebhook(topic: string, payload: unknown, secret = SECRET, base = baseUrl) {
  const body = JSON.stringify(payload);
  return fetch(`${base}/webhooks/${topic}`, {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "x-shopify-hmac-sha256": getHmac(body, secret),
      "x-shopify-topic": topic,
      "x-shopify-shop-domain": "nudge-demo.myshopify.com",
      "x-shopify-api-version": "2026-07",
      "x-shopify-webhook-id": crypto.randomUUID(),
    },
  });
}

async function openAdmin() {
  const entry = await fetch(`${baseUrl}/demo`, { redirect: "manual" });
  expect(entry.status).toBe(302);
  const location = entry.headers.get("location")!;
  expect(location).toMatch(/^\/app\?.*id_token=/);
  return fetch(`${baseUrl}${location}`, { headers: { "user-agent": CHROME_UA } });
}

describe("npm run demo", () => {
  it("serves the embedded admin for the seeded demo shop with a locally minted session token", async () => {
    const page = await openAdmin();
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Shoppers by journey stage");
    expect(html).toContain('src="/demo/app-bridge.js"');
  });

  it("refuses the admin without a session token", async () => {
    const res = await fetch(`${baseUrl}/app?embedded=1&shop=nudge-demo.myshopify.com`, { headers: { "user-agent": CHROME_UA }, redirect: "manual" });
    expect(res.status).not.toBe(200);
  });

  it("takes a signed checkout webhook over HTTP and shows the shopper on the dashboard", async () => {
    const now = new Date();
    const res = await signedWebhook("checkouts/create", checkoutPayload({ token: "e2e-1", createdAt: now, phone: "+16135550100" }));
    expect(res.status).toBe(200);
    const location = (await fetch(`${baseUrl}/demo`, { redirect: "manual" })).headers.get("location")!;
    const list = await fetch(`${baseUrl}${location.replace("/app?", "/app/shoppers?")}`, { headers: { "user-agent": CHROME_UA } });
    expect(list.status).toBe(200);
    expect(await list.text()).toContain("+16135550100");
  });

  it("answers a forged webhook with 401", async () => {
    const res = await signedWebhook("checkouts/create", checkoutPayload({ token: "e2e-2", createdAt: new Date() }), "wrong-secret");
    expect(res.status).toBe(401);
  });
});

describe("the embedded admin in a real browser", () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
  });
  afterAll(() => browser?.close());

  beforeAll(async () => {
    const res = await signedWebhook("checkouts/create", checkoutPayload({ token: "e2e-admin", createdAt: new Date(), phone: "+16135550111" }));
    expect(res.status).toBe(200);
  });

  async function adminPage() {
    const page = await (await browser.newContext({ userAgent: CHROME_UA, viewport: { width: 1280, height: 900 } })).newPage();
    // Only the app itself: Shopify's CDN (fonts) is out of reach here.
    await page.route(/^https:\/\//, (route) => route.abort());
    page.setDefaultTimeout(10_000);
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    return { page, errors };
  }

  it("shows the dashboard, the shopper list and a timeline, and opts a shopper out", async () => {
    mkdirSync(SHOTS, { recursive: true });
    const { page, errors } = await adminPage();
    await page.goto(`${baseUrl}/demo`);
    await page.getByRole("heading", { name: "Results" }).waitFor();
    expect(await page.getByText("Shoppers by journey stage").isVisible()).toBe(true);
    await page.screenshot({ path: `${SHOTS}/dashboard.png`, fullPage: true });

    await page.getByRole("link", { name: "Shoppers" }).first().click();
    await page.getByRole("heading", { name: "Shoppers" }).waitFor();
    await page.getByText("+16135550111").first().click();
    await page.getByRole("heading", { name: "Timeline" }).waitFor();
    expect(await page.getByText("Consent granted via checkout").count()).toBeGreaterThan(0);
    await page.screenshot({ path: `${SHOTS}/timeline.png`, fullPage: true });

    await page.getByRole("button", { name: "Opt out of texts" }).click();
    await page.getByText("Opted out. No more texts will be sent.").waitFor();
    await page.screenshot({ path: `${SHOTS}/opted-out.png`, fullPage: true });
    await expect.poll(() => page.getByText("SMS: revoked").count()).toBe(1);
    expect(errors).toEqual([]);
  });

  it("edits a flow's text with a live preview and segment count, and saves it", async () => {
    const { page, errors } = await adminPage();
    await page.goto(`${baseUrl}/demo`);
    await page.getByRole("heading", { name: "Results" }).waitFor();
    await page.getByRole("link", { name: "Flows" }).first().click();
    await page.getByRole("link", { name: "Abandoned checkout" }).click();
    const preview = page.getByTestId("sms-preview");
    await preview.waitFor();
    expect(await preview.textContent()).toContain("Hey Maya!");
    expect(await page.getByTestId("segment-count").textContent()).toContain("GSM-7");

    const text = page.getByLabel("Text");
    await text.fill("Hi {{first_name}}, your cart misses you 🛒 {{checkout_link}}");
    await expect.poll(() => preview.textContent()).toContain("Hi Maya, your cart misses you 🛒");
    expect(await page.getByTestId("segment-count").textContent()).toContain("UCS-2");
    await text.fill("Hi {{first_name}} {{nickname}}");
    await page.getByText("Unknown token {{nickname}}").waitFor();
    await text.fill("Hi {{first_name}}, your cart misses you: {{checkout_link}}");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Flow saved.").waitFor();
    await page.screenshot({ path: `${SHOTS}/flow-editor.png`, fullPage: true });
    expect(errors).toEqual([]);
  });

  it("saves settings, showing a mistake inline first", async () => {
    const { page, errors } = await adminPage();
    await page.goto(`${baseUrl}/demo`);
    await page.getByRole("heading", { name: "Results" }).waitFor();
    await page.getByRole("link", { name: "Settings" }).first().click();
    await page.getByLabel("Brand name in texts").fill("Snowy Demo");
    await page.getByLabel("Stop at").fill("7");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Texts must start before they stop").waitFor();
    await page.getByLabel("Stop at").fill("20");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Settings saved.").waitFor();
    await page.screenshot({ path: `${SHOTS}/settings.png`, fullPage: true });
    await page.goto(`${baseUrl}/demo`);
    await page.getByRole("link", { name: "Settings" }).first().click();
    expect(await page.getByLabel("Brand name in texts").inputValue()).toBe("Snowy Demo");
    expect(await page.getByLabel("Stop at").inputValue()).toBe("20");
    expect(errors).toEqual([]);
  });
});

describe("npm run demo with Twilio pointed at a local fake and a fast clock", () => {
  let fake: FakeTwilio;
  let sending: DemoProcess;
  // 600x: the 20-minute cart delay passes in 2 seconds.
  const SCALE = 600;

  beforeAll(async () => {
    fake = await startFakeTwilio();
    sending = await startDemo({
      skipBuild: true,
      env: {
        SHOPIFY_API_SECRET: SECRET,
        NUDGE_TIME_SCALE: String(SCALE),
        TWILIO_ACCOUNT_SID: `AC${"3".repeat(32)}`,
        TWILIO_AUTH_TOKEN: "e2e-twilio-auth-token-0123456789",
        TWILIO_MESSAGING_SERVICE_SID: `MG${"4".repeat(32)}`,
        TWILIO_API_BASE_URL: fake.url,
      },
    });
  }, 180_000);

  afterAll(async () => {
    await sending?.stop();
    await fake?.close();
  });

  it("texts a consenting shopper who abandons a checkout, in their daytime, with name, link, brand and STOP wording", async () => {
    // Five shoppers, because the demo keeps the default 10% control group for cart texts.
    const phones = daytimePhones(new Date(Date.now() + 60 * 60_000));
    const now = new Date();
    for (const [i, phone] of phones.entries()) {
      const res = await signedWebhook("checkouts/create", checkoutPayload({ token: `e2e-send-${i}`, createdAt: now, phone }), SECRET, sending.baseUrl);
      expect(res.status).toBe(200);
    }

    const deadline = Date.now() + 30_000;
    while (!fake.messages.some((m) => phones.includes(m.to)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 1000));
    const texts = fake.messages.filter((m) => phones.includes(m.to));
    expect(texts.length).toBeGreaterThanOrEqual(1);
    expect(new Set(texts.map((t) => t.to)).size).toBe(texts.length);
    const match = texts[0]!.body.match(/^Hey John! .*Nudge Demo Store\. Here's 10% off: (http:\/\/localhost:\d+\/r\/[0-9A-Za-z]{10})\nReply STOP to opt out$/s);
    expect(match).not.toBeNull();
    // The tracked link leads to the checkout with the code applied (the demo stands in for
    // Shopify's discount API, so the code is made up but shaped like ours).
    const click = await fetch(match![1]!, { redirect: "manual", headers: { "user-agent": CHROME_UA } });
    expect(click.status).toBe(302);
    expect(click.headers.get("location")).toMatch(/^https:\/\/nudge-demo\.myshopify\.com\/discount\/NUDGE-[A-Z0-9]{8}\?redirect=%2F\S+$/);
    expect(texts[0]!.statusCallback).toMatch(/\/twilio\/status$/);
  });
});

/** Five numbers in a zone whose local time is 9:00–19:00 at `at`, so quiet hours don't delay the test. */
function daytimePhones(at: Date): string[] {
  const candidates = [
    ["+1212555014", "America/New_York"],
    ["+44791112345", "Europe/London"],
    ["+6141234567", "Australia/Sydney"],
    ["+81901234567", "Asia/Tokyo"],
    ["+1808555014", "Pacific/Honolulu"],
    ["+1415555014", "America/Los_Angeles"],
  ];
  for (const [prefix, zone] of candidates) {
    const hour = Number(new Intl.DateTimeFormat("en-US", { timeZone: zone, hour: "2-digit", hourCycle: "h23" }).format(at));
    if (hour >= 9 && hour < 19) return [1, 2, 3, 4, 5].map((digit) => `${prefix}${digit}`);
  }
  throw new Error("no candidate zone is in daytime");
}
