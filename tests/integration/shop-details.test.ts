import { afterAll, describe, expect, it } from "vitest";
import { loader as appLoader } from "~/routes/app";
import { loader as settingsLoader } from "~/routes/app.settings";
import { fakeShopifyAdmin, shopDetailsResult } from "../mocks/shopify-admin";
import { adminRequest } from "../support/admin-request";
import { installShop, installShopAt } from "../support/shopify";

// The shop's own details (issue #16): read from Shopify on install and, for shops installed
// before that, on the next admin visit.

const T = new Date("2026-11-24T15:00:00Z");
const BERLIN = { name: "Kaffeehaus Berlin", currencyCode: "EUR", ianaTimezone: "Europe/Berlin", contactEmail: "hallo@kaffeehaus.example", countryCodeV2: "DE" };
const admin = fakeShopifyAdmin((call) => (call.query.includes("query nudgeShopDetails") ? shopDetailsResult(BERLIN) : Response.json({ errors: [{ message: "unexpected" }] })));
const { prisma } = await installShopAt(T);

const loadAdmin = async (shop: string) => appLoader({ request: await adminRequest("/app", { shop }), params: {}, context: {} });

afterAll(() => admin.restore());

describe("the shop's details", () => {
  it("are read from Shopify and stored when the merchant installs the app", async () => {
    // No offline session yet: the first admin request exchanges the token, then afterAuth runs.
    // Through a page's own loader, not the layout's, so the lazy fill can't be what stored them.
    const shop = "fresh-install.myshopify.com";
    await settingsLoader({ request: await adminRequest("/app/settings", { shop }), params: {}, context: {} });

    const row = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
    expect(row).toMatchObject({ name: "Kaffeehaus Berlin", currency: "EUR", timezone: "Europe/Berlin", contactEmail: "hallo@kaffeehaus.example", country: "DE", detailsAt: T });
    const queries = admin.calls.filter((c) => c.shop === shop && c.query.includes("nudgeShopDetails"));
    expect(queries).toHaveLength(1);
    expect(queries[0]!.query).toMatch(/shopAddress \{ countryCodeV2 \}/);
    expect(queries[0]!.accessToken).toMatch(/^shpat_exchanged/);
  });

  it("are read once on the next admin visit of a shop installed before they were", async () => {
    const shop = "old-install.myshopify.com";
    await installShop(shop);
    await prisma.shop.update({ where: { domain: shop }, data: { name: null, currency: "USD", timezone: "UTC", detailsAt: null } });

    await loadAdmin(shop);
    await loadAdmin(shop);

    expect(await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).toMatchObject({ name: "Kaffeehaus Berlin", currency: "EUR", timezone: "Europe/Berlin", country: "DE" });
    expect(admin.calls.filter((c) => c.shop === shop)).toHaveLength(1);
  });

  it("stay as they were and the admin still loads when Shopify can't answer", async () => {
    const shop = "shopify-down.myshopify.com";
    await installShop(shop);
    await prisma.shop.update({ where: { domain: shop }, data: { detailsAt: null } });
    admin.answerWith(() => new Response("upstream broke", { status: 502 }));
    try {
      await expect(loadAdmin(shop)).resolves.toMatchObject({ apiKey: expect.any(String) });
    } finally {
      admin.answerWith((call) => (call.query.includes("query nudgeShopDetails") ? shopDetailsResult(BERLIN) : Response.json({})));
    }
    expect(await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).toMatchObject({ name: "Nudge Test Shop", currency: "CAD", detailsAt: null });
  });
});
