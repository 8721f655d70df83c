import { beforeEach, describe, expect, it } from "vitest";
import { database } from "~/db.server";
import { checkoutContactInfoSubmitted, checkoutStarted, cartViewed, pixelBatch, pixelCustomer, productAddedToCart, productViewed } from "~/demo/pixel-events";
import { pruneStorefrontVisitors } from "~/pixel/visitors.server";
import { action as collect, loader as collectGet } from "~/routes/pixel.events";
import { action as optin } from "~/routes/proxy.optin";
import { action as checkoutsCreate } from "~/routes/webhooks.checkouts.create";
import { action as customersRedact } from "~/routes/webhooks.customers.redact";
import { upsertShopper } from "~/services/shoppers.server";
import { appProxyRequest, checkoutPayload, fixture, TEST_SHOP, webhookRequest } from "../support/shopify";
import { HOUR, MIN, NO_ABANDONMENT_HOLDOUT, startStorefrontJourney } from "../support/storefront-journey";

// Issue #18, "Done when": Shopify's standard events posted to POST /pixel/events, as the web
// pixel sends them, drive the cart abandonment flow end to end for a known, consenting shopper,
// and nothing else gets through: no consent, no install, junk and oversized bodies.
const T = new Date("2026-11-24T15:00:00Z"); // 10:00 in New York
const TENT = { productId: "1001", variantId: "4001", title: "Trail Tent", price: 189 };
const DISCLOSURE =
  "By signing up you agree to receive recurring automated marketing texts from Trail Co at this number. Consent is not a condition of purchase. Msg & data rates may apply. Reply STOP to opt out, HELP for help.";
const { clock, prisma, at, dispatchAt, textsTo, rowsOf, followLink } = await startStorefrontJourney(T, { country: "US", settings: { journey: { holdoutPercent: NO_ABANDONMENT_HOLDOUT } } });
let seq = 0;

const phoneOf = () => `+1212555${3000 + seq}`;
const clientOf = () => `c0ffee00-0000-4000-8000-${String(seq).padStart(12, "0")}`;

/** A storefront sign-up through the app proxy, logged in as `customerId`, then the welcome sent. */
async function signUp(phone: string, customerId: string, when: Date, clientId?: string) {
  clock.set(when);
  const body = { phone, country: "US", consent: true, disclosureText: DISCLOSURE, disclosureVersion: "1", pageUrl: "https://trail-co.myshopify.com/", clientId };
  const res = await optin({ request: appProxyRequest("/proxy/optin", body, { customerId, ip: `198.51.100.${seq}` }), params: {}, context: {} });
  expect(res.status).toBe(200);
  await dispatchAt(when);
  return (await prisma.shopper.findFirstOrThrow({ where: { shop: TEST_SHOP, phone } })).id;
}

/** POST /pixel/events as the storefront's pixel sends it: text/plain, cross-origin. */
function pixelRequest(body: unknown, options: { ip?: string } = {}): Request {
  return new Request("https://nudge.test/pixel/events", {
    method: "POST",
    headers: { "content-type": "text/plain;charset=UTF-8", origin: "https://trail-co.myshopify.com", "x-forwarded-for": options.ip ?? `203.0.113.${seq % 250}` },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}
async function post(body: unknown, when: Date, options: { ip?: string } = {}) {
  clock.set(when);
  return collect({ request: pixelRequest(body, options), params: {}, context: {} });
}

const stored = async () => ({
  visitors: await prisma.storefrontVisitor.count(),
  messages: await prisma.scheduledMessage.count(),
  events: await prisma.journeyEvent.count(),
});

beforeEach(() => {
  seq++;
});

describe("POST /pixel/events drives the cart flow", () => {
  it("texts a signed-up, logged-in shopper who adds Trail Tent to the cart and leaves, once, with a link that rebuilds the cart", async () => {
    const phone = phoneOf();
    const customerId = `7100${seq}`;
    const shopperId = await signUp(phone, customerId, at(-HOUR));
    const me = { clientId: clientOf() };
    const customer = pixelCustomer(customerId, { email: "ana@example.com" });

    const viewed = await post(pixelBatch(TEST_SHOP, me.clientId, customer, [productViewed({ ...me, at: at(-2 * MIN) }, TENT)]), at(-2 * MIN));
    expect(viewed.status).toBe(202);
    expect(viewed.headers.get("access-control-allow-origin")).toBe("*");
    const added = await post(
      pixelBatch(TEST_SHOP, me.clientId, customer, [productAddedToCart({ ...me, at: T }, TENT), cartViewed({ ...me, at: at(MIN) }, [{ product: TENT, quantity: 1 }], `cart-${seq}`)]),
      at(MIN),
    );
    expect(await added.json()).toEqual({ ok: true, status: "fed" });
    expect(await prisma.shopper.findUniqueOrThrow({ where: { id: shopperId } })).toMatchObject({ stage: "consideration" });

    expect(await dispatchAt(at(59 * MIN))).toMatchObject({ claimed: 0 });
    expect(await dispatchAt(at(60 * MIN))).toMatchObject({ sent: 1 });
    await dispatchAt(at(30 * HOUR));
    const [welcome, cartText, ...more] = textsTo(phone);
    expect(welcome!.body).toContain("Thanks for joining");
    expect(more).toEqual([]);
    expect(cartText!.body).toContain("Trail Tent is still in your cart at Trail Co");
    const code = (await prisma.discountCode.findFirstOrThrow({ where: { shopperId, percent: 10 } })).code;
    expect(await followLink(cartText!.body)).toBe(`https://${TEST_SHOP}/cart/4001:1?discount=${code}`);
  });

  it("gives a shopper who goes on to start a checkout the checkout text, not the cart text as well", async () => {
    const phone = phoneOf();
    const customerId = `7100${seq}`;
    const shopperId = await signUp(phone, customerId, at(-HOUR));
    const me = { clientId: clientOf() };
    const customer = pixelCustomer(customerId);
    await post(pixelBatch(TEST_SHOP, me.clientId, customer, [productAddedToCart({ ...me, at: T }, TENT)]), T);
    const lines = [{ product: TENT, quantity: 1 }];
    const started = await post(pixelBatch(TEST_SHOP, me.clientId, customer, [checkoutStarted({ ...me, at: at(10 * MIN) }, `chk-${seq}`, lines)]), at(10 * MIN));
    expect(started.status).toBe(202);
    // Shopify's signed checkouts/create webhook carries the checkout itself.
    const payload = checkoutPayload({ token: `chk-${seq}`, cartToken: `cart-${seq}`, createdAt: at(10 * MIN), phone });
    expect((await checkoutsCreate({ request: webhookRequest("checkouts/create", payload), params: {}, context: {} })).status).toBe(200);

    await dispatchAt(at(30 * MIN));
    await dispatchAt(at(2 * HOUR));
    const [, checkoutText, ...more] = textsTo(phone);
    expect(more).toEqual([]);
    expect(checkoutText!.body).toMatch(/in your cart at Trail Co/);
    const rows = await rowsOf(shopperId);
    expect(rows.find((r) => r.flow === "cart_abandonment")).toMatchObject({ status: "cancelled", reason: "handed_over" });
    expect(rows.find((r) => r.flow === "cart_recovery")).toMatchObject({ status: "sent" });
  });

  it("sends nothing to a visitor with no consent", async () => {
    const phone = phoneOf();
    const customerId = `7100${seq}`;
    const { sql } = await database();
    const shopper = await sql.transaction((tx) => upsertShopper(tx, TEST_SHOP, { phone, phoneRegion: "US", customerId }));
    const me = { clientId: clientOf() };
    const res = await post(pixelBatch(TEST_SHOP, me.clientId, pixelCustomer(customerId), [productViewed({ ...me, at: T }, TENT), productAddedToCart({ ...me, at: at(MIN) }, TENT)]), at(MIN));
    expect(res.status).toBe(202);
    await dispatchAt(at(3 * HOUR));
    expect(textsTo(phone)).toEqual([]);
    expect(await rowsOf(shopper!.id)).toEqual([]);
  });
});

describe("identifying a visitor", () => {
  it("keeps an unknown visitor's events and feeds them once a phone typed at checkout names a subscriber", async () => {
    const phone = phoneOf();
    const shopperId = await signUp(phone, `7100${seq}`, at(-HOUR));
    const me = { clientId: clientOf() };
    expect(await (await post(pixelBatch(TEST_SHOP, me.clientId, null, [productAddedToCart({ ...me, at: T }, TENT)]), T)).json()).toEqual({ ok: true, status: "kept" });
    expect(await rowsOf(shopperId)).toHaveLength(1); // the welcome only

    const typed = checkoutContactInfoSubmitted({ ...me, at: at(2 * MIN) }, `chk-${seq}`, [{ product: TENT, quantity: 1 }], { phone: `(212) 555-${3000 + seq}` });
    expect(await (await post(pixelBatch(TEST_SHOP, me.clientId, null, [typed]), at(2 * MIN))).json()).toEqual({ ok: true, status: "fed" });
    expect(await prisma.storefrontVisitor.findUniqueOrThrow({ where: { shop_clientId: { shop: TEST_SHOP, clientId: me.clientId } } })).toMatchObject({ shopperId, pending: [] });
    expect((await rowsOf(shopperId)).map((r) => r.flow)).toContain("cart_abandonment");
  });

  it("ties the browser that signed up in the popup: its later events are the shopper's", async () => {
    const phone = phoneOf();
    const me = { clientId: clientOf() };
    await post(pixelBatch(TEST_SHOP, me.clientId, null, [productViewed({ ...me, at: at(-90 * MIN) }, TENT)]), at(-90 * MIN));
    const shopperId = await signUp(phone, `7100${seq}`, at(-HOUR), me.clientId);
    expect(await (await post(pixelBatch(TEST_SHOP, me.clientId, null, [productAddedToCart({ ...me, at: T }, TENT)]), T)).json()).toEqual({ ok: true, status: "fed" });
    const timeline = await prisma.journeyEvent.findMany({ where: { shopperId }, orderBy: { occurredAt: "asc" } });
    expect(timeline.map((e) => e.type)).toEqual(expect.arrayContaining(["product_viewed", "cart_item_added"]));
  });

  it("forgets which browsers were the shopper's on customers/redact: the client id no longer names them", async () => {
    const phone = phoneOf();
    const customerId = `7100${seq}`;
    const me = { clientId: clientOf() };
    const shopperId = await signUp(phone, customerId, at(-HOUR), me.clientId);
    expect(await prisma.storefrontVisitor.count({ where: { shopperId } })).toBe(1);
    const redact = { ...fixture("customers_redact"), shop_domain: TEST_SHOP, customer: { id: Number(customerId), email: null, phone } };
    expect((await customersRedact({ request: webhookRequest("customers/redact", redact), params: {}, context: {} })).status).toBe(200);
    expect(await prisma.storefrontVisitor.count({ where: { shopperId } })).toBe(0);
    const later = await post(pixelBatch(TEST_SHOP, me.clientId, null, [productAddedToCart({ ...me, at: T }, TENT)]), T);
    expect(await later.json()).toEqual({ ok: true, status: "kept" });
  });

  it("drops an unknown visitor's events a few hours after they were last seen, and keeps a known shopper's tie", async () => {
    const me = { clientId: clientOf() };
    await post(pixelBatch(TEST_SHOP, me.clientId, null, [productViewed({ ...me, at: T }, TENT)]), T);
    const where = { shop_clientId: { shop: TEST_SHOP, clientId: me.clientId } };
    expect(await prisma.storefrontVisitor.findUnique({ where })).not.toBeNull();
    const { sql } = await database();
    await pruneStorefrontVisitors(sql, at(5 * HOUR), { unknownHours: 6 });
    expect(await prisma.storefrontVisitor.findUnique({ where })).not.toBeNull();
    await pruneStorefrontVisitors(sql, at(6 * HOUR + MIN), { unknownHours: 6 });
    expect(await prisma.storefrontVisitor.findUnique({ where })).toBeNull();
    expect(await prisma.storefrontVisitor.count({ where: { shopperId: { not: null } } })).toBeGreaterThan(0);
  });
});

describe("what the collector refuses", () => {
  it("answers 4xx to a shop that isn't installed, junk and a 5,000-event body, and stores nothing", async () => {
    const me = { clientId: clientOf() };
    const before = await stored();
    const one = [productAddedToCart({ ...me, at: T }, TENT)];
    const cases: [string, unknown, number][] = [
      ["not installed", pixelBatch("not-installed.myshopify.com", me.clientId, null, one), 404],
      ["not JSON", "{not json", 400],
      ["junk", { shop: TEST_SHOP, clientId: me.clientId, customer: null, events: [{ name: "product_added_to_cart", data: "<script>" }] }, 422],
      ["a forged client id", pixelBatch(TEST_SHOP, "'; DROP TABLE shopper; --", null, one), 422],
      ["another client's events", pixelBatch(TEST_SHOP, me.clientId, null, [productAddedToCart({ clientId: "someone-else-0000", at: T }, TENT)]), 422],
      ["no events", pixelBatch(TEST_SHOP, me.clientId, null, []), 422],
      ["a NUL", pixelBatch(TEST_SHOP, me.clientId, null, [productAddedToCart({ ...me, at: T }, { ...TENT, title: "Tent\u0000" })]), 400],
      [
        "5,000 events",
        pixelBatch(
          TEST_SHOP,
          me.clientId,
          null,
          Array.from({ length: 5000 }, (_, i) => productViewed({ ...me, at: at(-i) }, TENT)),
        ),
        413,
      ],
      ["51 small events", { shop: TEST_SHOP, clientId: me.clientId, customer: null, events: Array.from({ length: 51 }, () => ({})) }, 413],
    ];
    for (const [name, body, status] of cases) {
      const res = await post(body, T, { ip: `192.0.2.${status % 250}` });
      expect({ name, status: res.status }).toEqual({ name, status });
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
    }
    expect(await stored()).toEqual(before);
  });

  it("refuses a body over 64 KB while it streams in, whatever Content-Length says", async () => {
    const big = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 80; i++) controller.enqueue(new TextEncoder().encode("x".repeat(1024)));
        controller.close();
      },
    });
    const request = new Request("https://nudge.test/pixel/events", { method: "POST", body: big, headers: { "content-type": "text/plain" }, duplex: "half" } as RequestInit);
    expect((await collect({ request, params: {}, context: {} })).status).toBe(413);
  });

  it("rate-limits one client id", async () => {
    const me = { clientId: clientOf() };
    const statuses: number[] = [];
    for (let i = 0; i < 62; i++) statuses.push((await post(pixelBatch(TEST_SHOP, me.clientId, null, [productViewed({ ...me, at: T }, TENT)]), T, { ip: `198.18.0.${i}` })).status);
    expect(statuses.slice(0, 60).every((s) => s === 202)).toBe(true);
    expect(statuses.slice(60)).toEqual([429, 429]);
  });

  it("refuses GET (the preflight is the server's: tests/security/cross-origin-post.test.ts)", async () => {
    expect((await collectGet()).status).toBe(405);
  });
});
