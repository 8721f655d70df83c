import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { PrismaClient } from "@prisma/client";
import { fixedClock, setClock } from "~/clock.server";
import { action as shopUpdate } from "~/routes/webhooks.shop.update";
import { fixture, installShop, TEST_SHOP, webhookRequest } from "../support/shopify";

// shop/update keeps the shop's own details current (issue #16). Its body is the Shop resource,
// the same sample Shopify documents for app/uninstalled (tests/fixtures/shopify/SOURCES.md).

const T = new Date("2026-11-24T15:00:00Z");
let prisma: PrismaClient;
const post = (payload: unknown, options: { webhookId?: string; secret?: string; shop?: string } = {}) =>
  shopUpdate({ request: webhookRequest("shop/update", payload, options), params: {}, context: {} });
const berlin = (overrides: Record<string, unknown> = {}) => ({
  ...fixture("app_uninstalled"),
  name: "Kaffeehaus Berlin",
  customer_email: "hallo@kaffeehaus.example",
  currency: "EUR",
  iana_timezone: "Europe/Berlin",
  country_code: "DE",
  myshopify_domain: TEST_SHOP,
  updated_at: "2026-11-24T14:00:00+01:00",
  ...overrides,
});
const stored = () => prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });

beforeAll(async () => {
  setClock(fixedClock(T));
  prisma = await installShop();
});
beforeEach(async () => {
  await prisma.shop.update({ where: { domain: TEST_SHOP }, data: { name: "Nudge Test Shop", currency: "CAD", timezone: "America/Toronto", contactEmail: null, country: null, detailsAt: null } });
});

describe("shop/update webhook", () => {
  it("stores the shop's new name, currency, time zone, contact email and country", async () => {
    expect((await post(berlin())).status).toBe(200);
    expect(await stored()).toMatchObject({
      name: "Kaffeehaus Berlin",
      currency: "EUR",
      timezone: "Europe/Berlin",
      contactEmail: "hallo@kaffeehaus.example",
      country: "DE",
      detailsAt: new Date("2026-11-24T13:00:00Z"),
    });
  });

  it("keeps what it holds for fields the body leaves empty, like Shopify's sample's null iana_timezone", async () => {
    expect((await post(berlin({ iana_timezone: null, customer_email: null, name: "" }))).status).toBe(200);
    expect(await stored()).toMatchObject({ name: "Nudge Test Shop", timezone: "America/Toronto", contactEmail: null, currency: "EUR" });
  });

  it("ignores an update older than the details it already holds (webhooks arrive out of order)", async () => {
    await post(berlin());
    expect((await post(berlin({ name: "Old name", updated_at: "2026-11-24T12:00:00+01:00" }))).status).toBe(200);
    expect((await stored()).name).toBe("Kaffeehaus Berlin");
  });

  it("changes nothing when the same webhook is delivered twice", async () => {
    await post(berlin(), { webhookId: "shop-update-dup" });
    await prisma.shop.update({ where: { domain: TEST_SHOP }, data: { name: "Renamed since", detailsAt: null } });
    expect((await post(berlin(), { webhookId: "shop-update-dup" })).status).toBe(200);
    expect((await stored()).name).toBe("Renamed since");
  });

  it.each([
    ["a forged HMAC", () => post(berlin(), { secret: "not-the-app-secret" }), 401],
    ["a currency that is not an ISO code", () => post(berlin({ currency: "euros" })), 400],
    ["a body naming another shop than its header", () => post(berlin({ myshopify_domain: "someone-else.myshopify.com" })), 400],
  ])("answers %s with a 4xx and changes nothing", async (_name, send, status) => {
    expect((await send()).status).toBe(status);
    expect(await stored()).toMatchObject({ name: "Nudge Test Shop", currency: "CAD", detailsAt: null });
  });

  it("drops a time zone the runtime doesn't know instead of storing it", async () => {
    await post(berlin({ iana_timezone: "Mars/Olympus_Mons" }));
    expect(await stored()).toMatchObject({ timezone: "America/Toronto", currency: "EUR" });
  });
});
