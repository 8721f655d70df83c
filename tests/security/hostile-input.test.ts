import { readdirSync } from "node:fs";
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock, setClock } from "~/clock.server";
import { database } from "~/db.server";
import { dispatchDueMessages } from "~/dispatch/dispatch.server";
import { loader as follow } from "~/routes/r.$id";
import { action as optin } from "~/routes/proxy.optin";
import { action as inbound } from "~/routes/twilio.inbound";
import { action as status } from "~/routes/twilio.status";
import ShopperPage, { loader as shopperLoader, action as shopperAction } from "~/routes/app.shoppers.$id";
import ShoppersPage, { loader as shoppersLoader } from "~/routes/app.shoppers._index";
import { action as settingsAction } from "~/routes/app.settings";
import { action as flowAction } from "~/routes/app.flows.$flow";
import { action as simulatorAction } from "~/routes/app.flows.simulator";
import { action as checkoutsCreate } from "~/routes/webhooks.checkouts.create";
import { action as uninstalled } from "~/routes/webhooks.app.uninstalled";
import { startFakeTwilio, type FakeTwilio } from "../mocks/twilio";
import { adminRequest } from "../support/admin-request";
import { testGateway } from "../support/dispatch";
import { renderPage } from "../support/render-page";
import { appProxyRequest, checkoutPayload, fixture, installShop, TEST_SHOP, webhookRequest } from "../support/shopify";
import { twilioWebhook } from "../support/twilio";

// Forged and hostile input: each case answers a clear 4xx (or is stored inert) and changes
// nothing it shouldn't. Bad/missing HMAC, altered bodies, missing headers and 1 MiB webhook
// bodies are in tests/integration/webhooks.verification.test.ts; bad proxy signatures, invalid
// numbers and bad JSON on the opt-in in proxy.optin.test.ts; bad Twilio signatures in
// twilio.webhooks.test.ts; random hostile field values in payload-fuzz.test.ts.

const T = new Date("2026-11-24T15:00:00Z"); // 10:00 in New York
const MIN = 60_000;
const clock = fixedClock(T);
const OTHER = "hostile-other.myshopify.com";
const HOSTILE_NAME = `{{discount_code}} {% if true %}{{ shop.secret }}{% endif %} <script>alert(1)</script><img src=x onerror=alert(2)> '; DROP TABLE shopper; --`;
const HOSTILE_PHONE = "+12125550177";
let prisma: PrismaClient;
let fake: FakeTwilio;

/** Every row count and every shop's settings: what "changed nothing" compares. */
async function snapshot() {
  return {
    shops: await prisma.shop.findMany({ orderBy: { domain: "asc" }, select: { domain: true, settings: true, uninstalledAt: true } }),
    sessions: await prisma.session.count(),
    shoppers: await prisma.shopper.findMany({ orderBy: { id: "asc" }, select: { id: true, consent: true, firstName: true, phone: true } }),
    checkouts: await prisma.checkout.count(),
    messages: await prisma.scheduledMessage.findMany({ orderBy: { id: "asc" }, select: { id: true, status: true, dueAt: true, deliveryStatus: true } }),
    events: await prisma.journeyEvent.count(),
    consents: await prisma.consent.count(),
    receipts: await prisma.webhookReceipt.count(),
  };
}

/** The route's answer, returned or thrown. */
async function outcome(run: () => Promise<unknown>): Promise<Response> {
  try {
    const result = await run();
    if (result instanceof Response) return result;
    const r = result as { type?: string; data?: unknown; init?: { status?: number } | null };
    if (r && r.type === "DataWithResponseInit") return Response.json(r.data, { status: r.init?.status ?? 200 });
    return Response.json(result);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** A streamed body of `bytes` with no Content-Length, as a chunked upload arrives. */
function chunkedRequest(url: string, headers: HeadersInit, bytes: number, fill = "a"): Request {
  const chunk = new TextEncoder().encode(fill.repeat(16 * 1024));
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return new Request(url, { method: "POST", headers, body, duplex: "half" } as RequestInit);
}

const checkout = (token: string, phone: string, firstName: string) => {
  const payload = checkoutPayload({ token, createdAt: T, phone });
  payload.customer = { ...payload.customer, first_name: firstName };
  return payload;
};

beforeAll(async () => {
  setClock(clock);
  prisma = await installShop(TEST_SHOP, { name: "Snow Devil" });
  await installShop(OTHER);
  fake = await startFakeTwilio();
  const res = await checkoutsCreate({ request: webhookRequest("checkouts/create", checkout("hostile-1", HOSTILE_PHONE, HOSTILE_NAME)), params: {}, context: {} });
  expect(res.status).toBe(200);
});
afterAll(() => fake.close());

describe("forged and replayed Shopify webhooks", () => {
  // Every webhook route, listed from app/routes, so a new one is covered without editing this test.
  const webhookRoutes = readdirSync("app/routes").filter((f) => f.startsWith("webhooks."));

  it.each(webhookRoutes)("%s refuses a forged HMAC with 401 and changes nothing", async (file) => {
    const { action } = (await import(`~/routes/${file.replace(/\.tsx$/, "")}`)) as { action: typeof checkoutsCreate };
    const topic = file
      .replace(/^webhooks\./, "")
      .replace(/\.tsx$/, "")
      .replace(".", "/");
    const payload = { ...fixture("checkouts_create"), shop_domain: TEST_SHOP };
    const before = await snapshot();
    const res = await action({ request: webhookRequest(topic, payload, { secret: "forged-secret" }), params: {}, context: {} });
    expect(res.status).toBe(401);
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a signed app/uninstalled body replayed with a new id under another shop's header", async () => {
    const before = await snapshot();
    // A genuine body for TEST_SHOP names it in myshopify_domain; the replay claims OTHER.
    const body = { ...fixture("app_uninstalled"), myshopify_domain: TEST_SHOP, domain: TEST_SHOP };
    const res = await uninstalled({ request: webhookRequest("app/uninstalled", body, { shop: OTHER }), params: {}, context: {} });
    expect(res.status).toBe(400);
    expect(await snapshot()).toEqual(before);
  });

  it("changes no shopper, checkout, consent or text for a checkouts/create body replayed with a new webhook id", async () => {
    const body = checkout("hostile-replay", "+12125550178", "Ann");
    await checkoutsCreate({ request: webhookRequest("checkouts/create", body), params: {}, context: {} });
    const before = await snapshot();
    const res = await checkoutsCreate({ request: webhookRequest("checkouts/create", body), params: {}, context: {} });
    expect(res.status).toBe(200);
    const after = await snapshot();
    // The delivery itself is logged (its receipt and timeline entries carry the new id); nothing else moves.
    expect({ ...after, receipts: 0, events: 0 }).toEqual({ ...before, receipts: 0, events: 0 });
  });
});

describe("oversized bodies are refused with 413 while they stream in", () => {
  const form = { "content-type": "application/x-www-form-urlencoded" };

  it.each([
    ["/twilio/status", status],
    ["/twilio/inbound", inbound],
  ])("%s refuses a chunked form body over 64 KiB that declares no length", async (path, route) => {
    const before = await snapshot();
    const signed = twilioWebhook(path, { MessageSid: "SMbig", MessageStatus: "delivered", From: HOSTILE_PHONE, Body: "STOP" });
    const request = chunkedRequest(signed.url, { ...form, "x-twilio-signature": signed.headers.get("x-twilio-signature")! }, 1024 * 1024, "STOP&");
    expect((await route({ request, params: {}, context: {} })).status).toBe(413);
    expect(await snapshot()).toEqual(before);
  });

  it("the storefront opt-in refuses a declared 1 MiB body before reading it, and a chunked one as it streams", async () => {
    const before = await snapshot();
    const signed = appProxyRequest("/proxy/optin", { phone: "+12125550179" });
    const declared = new Request(signed.url, { method: "POST", headers: { ...Object.fromEntries(signed.headers), "content-length": String(1024 * 1024) }, body: "{}" });
    expect((await outcome(() => optin({ request: declared, params: {}, context: {} }))).status).toBe(413);
    const chunked = chunkedRequest(signed.url, { "content-type": "application/json", "x-forwarded-for": "198.51.100.99" }, 1024 * 1024);
    const streamed = await outcome(() => optin({ request: chunked, params: {}, context: {} }));
    expect(streamed.status).toBe(413);
    expect(await streamed.json()).toEqual({ ok: false, error: "Request too large" });
    expect(await snapshot()).toEqual(before);
  });
});

describe("malformed bodies", () => {
  const shopperId = async () => (await prisma.shopper.findFirstOrThrow({ where: { shop: TEST_SHOP, phone: HOSTILE_PHONE } })).id;
  /** An admin POST whose multipart body is not multipart at all. */
  const brokenForm = async (path: string) => {
    const good = await adminRequest(path);
    return new Request(good.url, { method: "POST", headers: { ...Object.fromEntries(good.headers), "content-type": "multipart/form-data; boundary=xyz" }, body: "not a multipart body" });
  };

  it("admin actions answer an unreadable form body with 400, not a 500, and change nothing", async () => {
    const before = await snapshot();
    const id = await shopperId();
    const actions: [string, () => Promise<unknown>][] = [
      ["shopper opt-out", async () => shopperAction({ request: await brokenForm(`/app/shoppers/${id}`), params: { id }, context: {} })],
      ["settings", async () => settingsAction({ request: await brokenForm("/app/settings"), params: {}, context: {} })],
      ["flow editor", async () => flowAction({ request: await brokenForm("/app/flows/cart_recovery"), params: { flow: "cart_recovery" }, context: {} })],
      ["simulator", async () => simulatorAction({ request: await brokenForm("/app/flows/simulator"), params: {}, context: {} })],
    ];
    // 400, or the simulator's 422 for a scenario it could not read.
    for (const [name, run] of actions) expect([name, (await outcome(run)).status]).toEqual([name, name === "simulator" ? 422 : 400]);
    expect(await snapshot()).toEqual(before);
  });

  it("Twilio callbacks with a JSON body instead of a form are refused (the signature can't match)", async () => {
    const before = await snapshot();
    const request = new Request("https://nudge.test/twilio/inbound", {
      method: "POST",
      headers: { "content-type": "application/json", "x-twilio-signature": "c2lnbmF0dXJl" },
      body: JSON.stringify({ From: HOSTILE_PHONE, Body: "STOP" }),
    });
    expect((await inbound({ request, params: {}, context: {} })).status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });

  it("a webhook whose signed body is a JSON array, or empty, is a 400", async () => {
    const before = await snapshot();
    for (const rawBody of ["[]", ""]) {
      const res = await checkoutsCreate({ request: webhookRequest("checkouts/create", null, { rawBody }), params: {}, context: {} });
      expect(res.status).toBe(400);
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe("template syntax, markup and SQL in names stay inert", () => {
  it("stores the name exactly and texts it literally: no token, Liquid or markup is expanded", async () => {
    const shopper = await prisma.shopper.findFirstOrThrow({ where: { shop: TEST_SHOP, phone: HOSTILE_PHONE } });
    expect(shopper.firstName).toBe(HOSTILE_NAME);
    clock.set(new Date(T.getTime() + 20 * MIN));
    const { sql } = await database();
    const gateway = testGateway(fake);
    await dispatchDueMessages({ sql, gatewayFor: () => gateway, workerId: "w", now: () => clock.now(), statusCallbackUrl: null, linkBase: "https://nudge.test" });
    const [text] = fake.messages.filter((m) => m.to === HOSTILE_PHONE);
    expect(text!.body).toContain(`Hey ${HOSTILE_NAME}!`);
    expect(await prisma.shopper.count()).toBeGreaterThan(0); // the table is still there
  });

  it("the shoppers list and timeline render the name and replies as text, not markup", async () => {
    const shopper = await prisma.shopper.findFirstOrThrow({ where: { shop: TEST_SHOP, phone: HOSTILE_PHONE } });
    await inbound({ request: twilioWebhook("/twilio/inbound", { From: HOSTILE_PHONE, Body: "<script>alert(3)</script> {{first_name}}", MessageSid: "SMxss" }), params: {}, context: {} });
    const list = await shoppersLoader({ request: await adminRequest("/app/shoppers"), params: {}, context: {} });
    const timeline = await shopperLoader({ request: await adminRequest(`/app/shoppers/${shopper.id}`), params: { id: shopper.id }, context: {} });
    for (const html of [renderPage(ShoppersPage, "/app/shoppers", list), renderPage(ShopperPage, `/app/shoppers/${shopper.id}`, timeline)]) {
      expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
      expect(html).not.toMatch(/<script>alert|<img src=x/);
    }
    expect(renderPage(ShopperPage, "/", timeline)).toContain("&lt;script&gt;alert(3)&lt;/script&gt;");
  });

  it("HELP answers with the shop's name escaped in the TwiML", async () => {
    await prisma.shop.update({ where: { domain: TEST_SHOP }, data: { name: "Snow & <Devil>" } });
    const res = await inbound({ request: twilioWebhook("/twilio/inbound", { From: HOSTILE_PHONE, Body: "HELP", MessageSid: "SMhelp" }), params: {}, context: {} });
    expect(await res.text()).toContain("<Message>Snow &amp; &lt;Devil&gt;: ");
    await prisma.shop.update({ where: { domain: TEST_SHOP }, data: { name: "Snow Devil" } });
  });

  it("a 10,000-character name is refused with 400 and nothing stored; an emoji-heavy one is kept whole", async () => {
    const before = await snapshot();
    const long = await checkoutsCreate({ request: webhookRequest("checkouts/create", checkout("hostile-long", "+12125550180", "x".repeat(10_000))), params: {}, context: {} });
    expect(long.status).toBe(400);
    const signUp = await optin({
      request: appProxyRequest("/proxy/optin", {
        phone: "+12125550181",
        firstName: "y".repeat(10_000),
        consent: true,
        disclosureText: "Texts from Snow Devil. Reply STOP to opt out. Msg rates apply.",
        disclosureVersion: "1",
      }),
      params: {},
      context: {},
    });
    expect(signUp.status).toBe(422);
    expect(await snapshot()).toEqual(before);

    const emoji = "👩🏽‍🚀".repeat(30);
    const res = await checkoutsCreate({ request: webhookRequest("checkouts/create", checkout("hostile-emoji", "+12125550182", emoji)), params: {}, context: {} });
    expect(res.status).toBe(200);
    expect((await prisma.shopper.findFirstOrThrow({ where: { phone: "+12125550182" } })).firstName).toBe(emoji);
  });

  it("shopper search treats SQL-ish and over-long queries as plain text (200, no rows, no 500)", async () => {
    const search = async (q: string) => {
      const res = await outcome(async () => shoppersLoader({ request: await adminRequest(`/app/shoppers?q=${encodeURIComponent(q)}`), params: {}, context: {} }));
      return { q: q.slice(0, 20), status: res.status, rows: res.status === 200 ? ((await res.json()).rows as { phone: string }[]).map((r) => r.phone) : null };
    };
    for (const q of ["' OR 1=1 --", "\\", "x".repeat(5_000)]) expect(await search(q)).toEqual({ q: q.slice(0, 20), status: 200, rows: [] });
    // LIKE's wildcards are literal: "%" and "_" find the one name that holds them, not everyone.
    for (const q of ["%", "_", "'; DROP TABLE"]) expect(await search(q)).toEqual({ q, status: 200, rows: [HOSTILE_PHONE] });
  });

  it("a checkout with an invalid phone number schedules nothing; a test text to one is a 400 and sends nothing", async () => {
    const sentBefore = fake.messages.length;
    const messagesBefore = await prisma.scheduledMessage.count();
    for (const [i, phone] of ["+1 (555) 555-BILL", "12345", "+999999999999999"].entries()) {
      const payload = checkout(`hostile-phone-${i}`, phone, "Bo");
      // Nothing else to identify them by: the sample's customer has a valid number and an email
      // that earlier checkouts in this file share.
      Object.assign(payload, { email: null, customer: { ...payload.customer, phone: null, email: null, id: null, admin_graphql_api_id: null } });
      const res = await checkoutsCreate({ request: webhookRequest("checkouts/create", payload), params: {}, context: {} });
      expect(res.status).toBeLessThan(500);
    }
    expect(await prisma.scheduledMessage.count()).toBe(messagesBefore);
    const res = await outcome(async () => settingsAction({ request: await adminRequest("/app/settings", { form: { intent: "test_sms", phone: "555-CALL-NOW" } }), params: {}, context: {} }));
    expect(res.status).toBe(400);
    expect(fake.messages.length).toBe(sentBefore);
  });
});

describe("open redirects through /r/:id", () => {
  const visit = (id: string, query = "") =>
    follow({ request: new Request(`https://nudge.test/r/${encodeURIComponent(id)}${query}`, { headers: { "user-agent": "Mozilla/5.0 Safari" } }), params: { id }, context: {} });

  it.each(["//evil.com", "https:evil.com", "/\\evil.com", "\\\\evil.com", "%2F%2Fevil.com", "%5C%5Cevil.com", "https%3A%2F%2Fevil.com", "http://evil.com", "javascript:alert(1)", "evil.com"])(
    "answers %s with a 404 and no Location",
    async (id) => {
      const res = await visit(id);
      expect(res.status).toBe(404);
      expect(res.headers.get("location")).toBeNull();
    },
  );

  it("a real link ignores a target smuggled in the query and goes to its stored one", async () => {
    const link = await prisma.shortLink.findFirstOrThrow({ where: { shop: TEST_SHOP } });
    const res = await visit(link.id, "?url=https://evil.com&next=//evil.com");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(link.target);
    expect(link.target).toMatch(/^https:\/\/checkout\.local\//);
  });
});
