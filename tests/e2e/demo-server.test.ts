import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startFakeTwilio, type FakeTwilio } from "../mocks/twilio";
import { CHROME_UA, signedWebhook as sign } from "../support/admin-browser";
import { daytimePhones } from "../support/daytime-phones";
import { startDemo, type DemoProcess } from "../support/demo-process";
import { fakeTwilioSenderEnv } from "../support/demo-twilio";
import { checkoutPayload } from "../support/shopify";

// A real browser on a shared 2-core machine: a page can take tens of seconds to settle.
vi.setConfig({ testTimeout: 120_000 });

// `npm run demo` end to end: build, seed, serve over real HTTP, signed webhooks in.
// The admin screens in a browser are in admin-*.test.ts.
const SECRET = "e2e-demo-secret";
let demo: DemoProcess;
let baseUrl: string;

beforeAll(async () => {
  demo = await startDemo({ env: { SHOPIFY_API_SECRET: SECRET } });
  baseUrl = demo.baseUrl;
}, 180_000);

afterAll(() => demo?.stop());

function signedWebhook(topic: string, payload: unknown, secret = SECRET, base = baseUrl) {
  return sign(base, topic, payload, secret);
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
    // Acknowledged first, ingested after (ADR 024): the shopper shows once the inbox is drained.
    await vi.waitFor(
      async () => {
        const location = (await fetch(`${baseUrl}/demo`, { redirect: "manual" })).headers.get("location")!;
        const list = await fetch(`${baseUrl}${location.replace("/app?", "/app/shoppers?")}`, { headers: { "user-agent": CHROME_UA } });
        expect(list.status).toBe(200);
        expect(await list.text()).toContain("+16135550100");
      },
      { timeout: 15_000, interval: 250 },
    );
  });

  it("answers a forged webhook with 401", async () => {
    const res = await signedWebhook("checkouts/create", checkoutPayload({ token: "e2e-2", createdAt: new Date() }), "wrong-secret");
    expect(res.status).toBe(401);
  });
});

describe("npm run demo with Twilio pointed at a local fake and a fast clock", () => {
  let fake: FakeTwilio;
  let sending: DemoProcess;
  // 600x: the 20-minute cart delay passes in 2 seconds.
  const SCALE = 600;

  beforeAll(async () => {
    fake = await startFakeTwilio();
    sending = await startDemo({ env: { SHOPIFY_API_SECRET: SECRET, NUDGE_TIME_SCALE: String(SCALE), ...fakeTwilioSenderEnv(fake) } });
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
    // The tracked link leads to the checkout with the code applied: on the demo's local
    // stand-in for the online store, never the real myshopify.com (the demo also stands in for
    // Shopify's discount API, so the code is made up but shaped like ours).
    const click = await fetch(match![1]!, { redirect: "manual", headers: { "user-agent": CHROME_UA } });
    expect(click.status).toBe(302);
    expect(click.headers.get("location")).toMatch(new RegExp(`^${sending.baseUrl}/demo/store/discount/NUDGE-[A-Z0-9]{8}\\?redirect=%2F\\S+$`));
    expect(texts[0]!.statusCallback).toMatch(/\/twilio\/status$/);
  });
});
