import { beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@prisma/client";
import { fixedClock, setClock } from "~/clock.server";
import { action as uninstalled } from "~/routes/webhooks.app.uninstalled";
import { action as checkoutsCreate } from "~/routes/webhooks.checkouts.create";
import { action as customersRedact } from "~/routes/webhooks.customers.redact";
import { action as dataRequest } from "~/routes/webhooks.customers.data_request";
import { action as shopRedact } from "~/routes/webhooks.shop.redact";
import { action as inbound } from "~/routes/twilio.inbound";
import { tablesMentioning } from "../support/db";
import { checkoutPayload, fixture, installShop, TEST_SHOP, webhookRequest } from "../support/shopify";
import { twilioWebhook } from "../support/twilio";

const T = new Date("2026-11-24T15:00:00Z");
const OTHER = "other-shop.myshopify.com";
let prisma: PrismaClient;
const call = (route: typeof checkoutsCreate, request: Request) => route({ request, params: {}, context: {} });

beforeAll(async () => {
  setClock(fixedClock(T));
  prisma = await installShop();
  await installShop(OTHER);
});

describe("compliance webhooks", () => {
  const phone = "+16135550199";

  beforeAll(async () => {
    for (const shop of [TEST_SHOP, OTHER]) {
      const res = await call(checkoutsCreate, webhookRequest("checkouts/create", checkoutPayload({ token: `gdpr-${shop}`, createdAt: T, phone }), { shop }));
      expect(res.status).toBe(200);
    }
    await call(inbound, twilioWebhook("/twilio/inbound", { From: phone, Body: "Is my order shipped?", MessageSid: "SMgdpr" }));
    await prisma.scheduledMessage.updateMany({ where: { shop: TEST_SHOP }, data: { body: "Hey John! Your cart at Snow Devil" } });
  });

  it("customers/data_request gathers what we hold about the customer into an export", async () => {
    const payload = { ...fixture("customers_data_request"), shop_domain: TEST_SHOP, customer: { id: 1, email: null, phone: "613-555-0199" }, data_request: { id: 9001 } };
    const res = await call(dataRequest, webhookRequest("customers/data_request", payload));
    expect(res.status).toBe(200);
    const [exported] = await prisma.dataExport.findMany({ where: { shop: TEST_SHOP } });
    expect(exported).toMatchObject({ requestId: "9001" });
    const data = exported!.payload as Record<string, { phone?: string; body?: string; type?: string }[]>;
    expect(data.shoppers!.map((s) => s.phone)).toEqual([phone]);
    expect(data.consents!.length).toBeGreaterThan(0);
    expect(data.messages!.map((m) => m.body)).toEqual(["Hey John! Your cart at Snow Devil"]);
    expect(data.events!.map((e) => e.type)).toContain("sms_received");
  });

  it("customers/redact leaves the phone nowhere in the shop's data but keeps anonymous totals", async () => {
    expect(await prisma.dataExport.count({ where: { shop: TEST_SHOP } })).toBe(1);
    const payload = { ...fixture("customers_redact"), shop_domain: TEST_SHOP, customer: { id: 1, email: null, phone } };
    const res = await call(customersRedact, webhookRequest("customers/redact", payload));
    expect(res.status).toBe(200);

    expect(await tablesMentioning("6135550199", TEST_SHOP)).toEqual({});
    expect(await tablesMentioning("Hey John", TEST_SHOP)).toEqual({});
    expect(await tablesMentioning("Is my order shipped", TEST_SHOP)).toEqual({});
    expect(await tablesMentioning("6135550199", OTHER)).toMatchObject({ shopper: 1, consent: 1, checkout: 1 });
    const anonymous = await prisma.shopper.findMany({ where: { shop: TEST_SHOP, consent: "redacted" } });
    expect(anonymous).toEqual([expect.objectContaining({ phone: null, email: null, firstName: null, customerId: null })]);
    expect(await prisma.scheduledMessage.findMany({ where: { shop: TEST_SHOP, shopperId: anonymous[0]!.id } })).toEqual([
      expect.objectContaining({ body: null, status: "cancelled", reason: "redacted" }),
    ]);
    expect(await prisma.shopper.count({ where: { shop: OTHER, phone } })).toBe(1);
    expect(await prisma.scheduledMessage.count({ where: { shop: OTHER, status: "scheduled" } })).toBe(1);
  });
});

describe("app/uninstalled and shop/redact", () => {
  it("stops every pending text, deletes the sessions, and ignores later checkouts", async () => {
    const shop = "leaving.myshopify.com";
    await installShop(shop);
    await call(checkoutsCreate, webhookRequest("checkouts/create", checkoutPayload({ token: "leave-1", createdAt: T, phone: "+16135550111" }), { shop }));
    expect(await prisma.scheduledMessage.count({ where: { shop, status: "scheduled" } })).toBe(1);

    const res = await call(uninstalled, webhookRequest("app/uninstalled", fixture("app_uninstalled"), { shop }));
    expect(res.status).toBe(200);
    expect(await prisma.scheduledMessage.count({ where: { shop, status: "scheduled" } })).toBe(0);
    expect(await prisma.scheduledMessage.count({ where: { shop, status: "cancelled", reason: "app_uninstalled" } })).toBe(1);
    expect(await prisma.session.count({ where: { shop } })).toBe(0);
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).uninstalledAt).toEqual(T);

    await call(checkoutsCreate, webhookRequest("checkouts/create", checkoutPayload({ token: "leave-2", createdAt: T, phone: "+16135550112" }), { shop }));
    expect(await prisma.checkout.count({ where: { shop, token: "leave-2" } })).toBe(0);
  });

  it("shop/redact erases everything held for the shop and nothing of others", async () => {
    const shop = "leaving.myshopify.com";
    const othersBefore = await prisma.shopper.count({ where: { shop: OTHER } });
    const res = await call(shopRedact, webhookRequest("shop/redact", { ...fixture("shop_redact"), shop_domain: shop }, { shop }));
    expect(res.status).toBe(200);
    for (const count of [
      prisma.shopper.count({ where: { shop } }),
      prisma.checkout.count({ where: { shop } }),
      prisma.scheduledMessage.count({ where: { shop } }),
      prisma.shop.count({ where: { domain: shop } }),
    ]) {
      expect(await count).toBe(0);
    }
    expect(await prisma.shopper.count({ where: { shop: OTHER } })).toBe(othersBefore);
  });

  it("refuses a signed shop/redact or customers/redact body replayed with another shop's header, and erases nothing", async () => {
    const before = { shoppers: await prisma.shopper.count({ where: { shop: OTHER } }), shop: await prisma.shop.count({ where: { domain: OTHER } }) };
    expect(before.shop).toBe(1);
    const shopRes = await call(shopRedact, webhookRequest("shop/redact", { ...fixture("shop_redact"), shop_domain: "victim-elsewhere.myshopify.com" }, { shop: OTHER }));
    expect(shopRes.status).toBe(400);
    const customerRes = await call(
      customersRedact,
      webhookRequest("customers/redact", { ...fixture("customers_redact"), shop_domain: TEST_SHOP, customer: { id: 1, email: null, phone: "+16135550112" } }, { shop: OTHER }),
    );
    expect(customerRes.status).toBe(400);
    expect({ shoppers: await prisma.shopper.count({ where: { shop: OTHER } }), shop: await prisma.shop.count({ where: { domain: OTHER } }) }).toEqual(before);
  });
});
