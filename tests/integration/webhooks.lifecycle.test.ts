import { beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@prisma/client";
import { fixedClock, setClock } from "~/clock.server";
import { action as uninstalled } from "~/routes/webhooks.app.uninstalled";
import { action as checkoutsCreate } from "~/routes/webhooks.checkouts.create";
import { action as customersRedact } from "~/routes/webhooks.customers.redact";
import { action as dataRequest } from "~/routes/webhooks.customers.data_request";
import { action as shopRedact } from "~/routes/webhooks.shop.redact";
import { checkoutPayload, fixture, installShop, webhookRequest } from "../support/shopify";

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
  it("customers/redact erases the shopper but keeps the other shop's shopper with the same phone", async () => {
    const phone = "+16135550199";
    for (const shop of ["nudge-test.myshopify.com", OTHER]) {
      const res = await call(checkoutsCreate, webhookRequest("checkouts/create", checkoutPayload({ token: `redact-${shop}`, createdAt: T, phone }), { shop }));
      expect(res.status).toBe(200);
    }
    const payload = { ...fixture("customers_redact"), shop_domain: "nudge-test.myshopify.com", customer: { id: 1, email: null, phone } };
    const res = await call(customersRedact, webhookRequest("customers/redact", payload));
    expect(res.status).toBe(200);

    expect(await prisma.shopper.count({ where: { phone, shop: "nudge-test.myshopify.com" } })).toBe(0);
    expect(await prisma.checkout.count({ where: { token: "redact-nudge-test.myshopify.com" } })).toBe(0);
    expect(await prisma.shopper.count({ where: { phone, shop: OTHER } })).toBe(1);
    expect(await prisma.scheduledMessage.count({ where: { shop: OTHER } })).toBe(1);
  });

  it("customers/data_request is verified and acknowledged", async () => {
    const res = await call(dataRequest, webhookRequest("customers/data_request", fixture("customers_data_request")));
    expect(res.status).toBe(200);
    expect(await prisma.webhookReceipt.count({ where: { topic: "CUSTOMERS_DATA_REQUEST" } })).toBe(1);
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
});
