import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { PrismaClient } from "@prisma/client";
import { fixedClock, setClock } from "~/clock.server";
import { action as checkoutsCreate } from "~/routes/webhooks.checkouts.create";
import { action as checkoutsUpdate } from "~/routes/webhooks.checkouts.update";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { checkoutPayload, installShop, orderPayload, TEST_SHOP, webhookRequest } from "../support/shopify";

const T = new Date("2026-11-24T15:00:00Z");
const MIN = 60_000;
const clock = fixedClock(T);
let prisma: PrismaClient;
let seq = 0;

const call = (route: typeof checkoutsCreate, request: Request) => route({ request, params: {}, context: {} });
const postCheckout = (payload: unknown, topic = "checkouts/create", webhookId?: string) =>
  call(topic === "checkouts/create" ? checkoutsCreate : checkoutsUpdate, webhookRequest(topic, payload, { webhookId }));
const postOrder = (payload: unknown, webhookId?: string) => call(ordersCreate, webhookRequest("orders/create", payload, { webhookId }));

async function shopperState(phone = "+16135550123") {
  const shopper = await prisma.shopper.findUniqueOrThrow({ where: { shop_phone: { shop: TEST_SHOP, phone } } });
  const messages = await prisma.scheduledMessage.findMany({ where: { shopperId: shopper.id }, orderBy: { dedupeKey: "asc" } });
  return { shopper, messages };
}

beforeAll(async () => {
  setClock(clock);
  prisma = await installShop();
});

beforeEach(() => {
  clock.set(T);
  seq += 1;
});

describe("checkouts/create and orders/create webhooks", () => {
  it("puts a consenting shopper in consideration with the cart text scheduled 20 minutes after the update", async () => {
    const token = `tok-${seq}`;
    const res = await postCheckout(checkoutPayload({ token, cartToken: `cart-${seq}`, createdAt: T, phone: "+16135550123" }));
    expect(res.status).toBe(200);

    const { shopper, messages } = await shopperState();
    expect(shopper).toMatchObject({ stage: "consideration", consent: "granted", country: "CA", customerId: "603851970716743426" });
    expect(messages).toEqual([expect.objectContaining({ dedupeKey: `cart:${token}:1`, flow: "cart_recovery", status: "scheduled", dueAt: new Date(T.getTime() + 20 * MIN) })]);
    expect(messages[0]!.discount).toEqual({ percent: 10, expiresInHours: 48 });
    const consent = await prisma.consent.findMany({ where: { shopperId: shopper.id } });
    expect(consent).toEqual([expect.objectContaining({ status: "granted", source: "checkout", phone: "+16135550123" })]);
  });
});

describe("linking orders to checkouts", () => {
  it("cancels the pending cart text when the order with the matching checkout_token arrives", async () => {
    const token = `tok-${seq}`;
    await postCheckout(checkoutPayload({ token, cartToken: `cart-${seq}`, createdAt: T }));
    clock.advance(5 * MIN);
    const res = await postOrder(orderPayload({ id: `9000${seq}`, checkoutToken: token, cartToken: null, createdAt: new Date(T.getTime() + 5 * MIN) }));
    expect(res.status).toBe(200);

    const { shopper, messages } = await shopperState();
    const cart = messages.find((m) => m.dedupeKey === `cart:${token}:1`);
    expect(cart).toMatchObject({ status: "cancelled", reason: "ordered" });
    expect(shopper.stage).not.toBe("consideration");
    const order = await prisma.order.findFirstOrThrow({ where: { shopifyOrderId: `9000${seq}` } });
    expect(order.shopperId).toBe(shopper.id);
    const checkout = await prisma.checkout.findFirstOrThrow({ where: { token } });
    expect(checkout.completedAt).toEqual(new Date(T.getTime() + 5 * MIN));
  });

  it("falls back to the cart token when the order has no checkout token", async () => {
    const token = `tok-${seq}`;
    const phone = "+16135550188";
    await postCheckout(checkoutPayload({ token, cartToken: `cart-${seq}`, createdAt: T, phone }));
    await postOrder(orderPayload({ id: `9100${seq}`, checkoutToken: null, cartToken: `cart-${seq}`, createdAt: new Date(T.getTime() + MIN) }));
    const { messages } = await shopperState(phone);
    expect(messages.find((m) => m.dedupeKey === `cart:${token}:1`)).toMatchObject({ status: "cancelled", reason: "ordered" });
  });

  it("schedules no cart text when the order arrives before its checkout", async () => {
    const phone = "+16135550177";
    const token = `tok-${seq}`;
    const order = orderPayload({ id: `9200${seq}`, checkoutToken: token, cartToken: null, createdAt: new Date(T.getTime() + MIN) });
    order.customer = null;
    expect((await postOrder(order)).status).toBe(200);
    expect(await prisma.order.count({ where: { shopifyOrderId: `9200${seq}`, shopperId: null } })).toBe(1);

    const checkout = checkoutPayload({ token, cartToken: `cart-${seq}`, createdAt: T, phone });
    checkout.customer = null;
    expect((await postCheckout(checkout)).status).toBe(200);

    const { shopper, messages } = await shopperState(phone);
    expect(messages.filter((m) => m.flow === "cart_recovery" && m.status === "scheduled")).toEqual([]);
    expect(shopper.stage).toBe("conversion");
    expect(await prisma.order.count({ where: { shopifyOrderId: `9200${seq}`, shopperId: shopper.id } })).toBe(1);
    // As completed as if it had been there when its order came (found by two inbox drainers, ADR 024).
    expect((await prisma.checkout.findFirstOrThrow({ where: { shop: TEST_SHOP, token } })).completedAt).toEqual(new Date(T.getTime() + MIN));
  });

  it("restarts the abandonment timer on a later checkouts/update", async () => {
    const phone = "+16135550144";
    const token = `tok-${seq}`;
    await postCheckout(checkoutPayload({ token, createdAt: T, phone }));
    const later = new Date(T.getTime() + 7 * MIN);
    clock.set(later);
    await postCheckout(checkoutPayload({ token, createdAt: T, updatedAt: later, phone }), "checkouts/update");
    const { messages } = await shopperState(phone);
    expect(messages).toEqual([expect.objectContaining({ dedupeKey: `cart:${token}:1`, dueAt: new Date(later.getTime() + 20 * MIN) })]);
  });
});

describe("delivery semantics", () => {
  it("absorbs a duplicate webhook id without changing anything", async () => {
    const phone = "+16135550155";
    const payload = checkoutPayload({ token: `tok-${seq}`, createdAt: T, phone });
    await postCheckout(payload, "checkouts/create", `dup-${seq}`);
    const snapshot = async () => ({
      events: await prisma.journeyEvent.count(),
      messages: await prisma.scheduledMessage.findMany({ orderBy: { id: "asc" } }),
      consents: await prisma.consent.count(),
      shopper: (await shopperState(phone)).shopper,
    });
    const before = await snapshot();
    clock.advance(3 * MIN);
    const res = await postCheckout({ ...payload, updated_at: new Date(T.getTime() + 3 * MIN).toISOString() }, "checkouts/create", `dup-${seq}`);
    expect(res.status).toBe(200);
    expect(await snapshot()).toEqual(before);
  });

  it("acknowledges and ignores a webhook for a shop that has not installed the app", async () => {
    const before = await prisma.checkout.count();
    const res = await call(checkoutsCreate, webhookRequest("checkouts/create", checkoutPayload({ token: `tok-${seq}`, createdAt: T }), { shop: "stranger.myshopify.com" }));
    expect(res.status).toBe(200);
    expect(await prisma.checkout.count()).toBe(before);
    expect(await prisma.shopper.count({ where: { shop: "stranger.myshopify.com" } })).toBe(0);
  });

  it("stores a checkout with no usable phone but starts no journey", async () => {
    const payload = checkoutPayload({ token: `tok-${seq}`, createdAt: T });
    Object.assign(payload, { phone: "555-555-BILL", sms_marketing_phone: null, customer: null });
    expect((await postCheckout(payload)).status).toBe(200);
    const checkout = await prisma.checkout.findFirstOrThrow({ where: { token: `tok-${seq}` } });
    expect(checkout.shopperId).toBeNull();
  });

  it("gives a shopper without SMS consent no cart text", async () => {
    const phone = "+16135550166";
    const payload = checkoutPayload({ token: `tok-${seq}`, createdAt: T, phone, buyer_accepts_sms_marketing: false });
    expect((await postCheckout(payload)).status).toBe(200);
    const { shopper, messages } = await shopperState(phone);
    expect(shopper).toMatchObject({ consent: "none", stage: "consideration" });
    expect(messages).toEqual([]);
  });
});

describe("consent changes and concurrency", () => {
  it("cancels the pending cart text when a later checkout update carries Shopify's unsubscribed state", async () => {
    const phone = "+16135550122";
    const token = `tok-${seq}`;
    await postCheckout(checkoutPayload({ token, createdAt: T, phone }));
    const later = new Date(T.getTime() + 5 * MIN);
    clock.set(later);
    const update = checkoutPayload({ token, createdAt: T, updatedAt: later, phone });
    update.customer = { ...update.customer, sms_marketing_consent: { state: "unsubscribed", consent_updated_at: later.toISOString() } };
    expect((await postCheckout(update, "checkouts/update")).status).toBe(200);

    const { shopper, messages } = await shopperState(phone);
    expect(shopper.consent).toBe("revoked");
    expect(messages).toEqual([expect.objectContaining({ dedupeKey: `cart:${token}:1`, status: "cancelled", reason: "opted_out" })]);
    const consent = await prisma.consent.findMany({ where: { shopperId: shopper.id }, orderBy: { collectedAt: "asc" } });
    expect(consent.map((c) => [c.status, c.source])).toEqual([
      ["granted", "checkout"],
      ["revoked", "shopify"],
    ]);
  });

  it("merges simultaneous first webhooks for one new shopper into one shopper with both checkouts", async () => {
    const phone = "+16135550133";
    const results = await Promise.all(["a", "b", "c"].map((suffix) => postCheckout(checkoutPayload({ token: `tok-${seq}-${suffix}`, cartToken: `cart-${seq}-${suffix}`, createdAt: T, phone }))));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    const { shopper, messages } = await shopperState(phone);
    expect(await prisma.shopper.count({ where: { shop: TEST_SHOP, phone } })).toBe(1);
    expect(messages.map((m) => m.dedupeKey).sort()).toEqual(["a", "b", "c"].map((s) => `cart:tok-${seq}-${s}:1`));
    expect(Object.keys((shopper.state as { checkouts: object }).checkouts)).toHaveLength(3);
  });
});
