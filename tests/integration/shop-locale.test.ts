import type { PrismaClient } from "@prisma/client";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import { fixedClock, setClock } from "~/clock.server";
import { database } from "~/db.server";
import Dashboard, { loader as dashboardLoader } from "~/routes/app._index";
import { loader as flowLoader } from "~/routes/app.flows.$flow";
import ShopperTimeline, { loader as shopperLoader } from "~/routes/app.shoppers.$id";
import { action as shopUpdate } from "~/routes/webhooks.shop.update";
import { previewTemplate } from "~/messaging/preview";
import { runSimulator } from "~/services/journey-simulator.server";
import { adminRequest } from "../support/admin-request";
import { renderPage } from "../support/render-page";
import { abandonedCheckoutScenario } from "../support/simulator-scenarios";
import { fixture, installShop, TEST_SHOP, webhookRequest } from "../support/shopify";

// Issue #16: a euro shop in Berlin saw dollars and UTC days. Money and days in the admin
// follow the shop's currency and time zone, as Shopify reports them (here by shop/update).

const NOW = new Date("2026-11-24T12:00:00Z");
// 00:30 on 24 November in Berlin, still 23 November in UTC.
const JUST_AFTER_BERLIN_MIDNIGHT = new Date("2026-11-23T23:30:00Z");
let prisma: PrismaClient;
let shopperId: string;

const load = async <T>(route: (args: LoaderFunctionArgs) => Promise<T>, path: string, params: Record<string, string> = {}) => route({ request: await adminRequest(path), params, context: {} });

beforeAll(async () => {
  setClock(fixedClock(NOW));
  prisma = await installShop();
  const body = { ...fixture("app_uninstalled"), name: "Kaffeehaus Berlin", currency: "EUR", iana_timezone: "Europe/Berlin", country_code: "DE", myshopify_domain: TEST_SHOP };
  expect((await shopUpdate({ request: webhookRequest("shop/update", body), params: {}, context: {} })).status).toBe(200);

  const shopper = await prisma.shopper.create({ data: { shop: TEST_SHOP, phone: "+4915112345678", country: "DE", consent: "granted", stage: "consideration" } });
  shopperId = shopper.id;
  await prisma.scheduledMessage.create({
    data: { shop: TEST_SHOP, shopperId, dedupeKey: "cart:k:1", flow: "cart_recovery", step: 1, dueAt: JUST_AFTER_BERLIN_MIDNIGHT, status: "sent", sentAt: JUST_AFTER_BERLIN_MIDNIGHT, segments: 1 },
  });
});

describe("a euro shop in Berlin", () => {
  it("sees the dashboard in euros, with days that start at Berlin's midnight", async () => {
    const dashboard = await load(dashboardLoader, "/app?from=2026-11-24&to=2026-11-24");
    expect(dashboard).toMatchObject({ currency: "EUR", timeZone: "Europe/Berlin", today: "2026-11-24" });
    expect(dashboard.totals.sent).toBe(1); // sent on 23 November in UTC, on the 24th in Berlin
    const html = renderPage(Dashboard, "/app", dashboard);
    expect(html).toContain("€0.00");
    expect(html).not.toContain("$");
  });

  it("sees a shopper's timeline in Berlin time", async () => {
    const timeline = await load(shopperLoader, `/app/shoppers/${shopperId}`, { id: shopperId });
    expect(timeline.timeZone).toBe("Europe/Berlin");
    expect(renderPage(ShopperTimeline, `/app/shoppers/${shopperId}`, timeline)).toContain("Nov 24, 2026, 12:30");
  });

  it("previews a cart total in euros in the flow editor", async () => {
    const editor = await load(flowLoader, "/app/flows/cart_recovery", { flow: "cart_recovery" });
    expect(editor.currency).toBe("EUR");
    const preview = previewTemplate("cart_recovery", "{{cart_items}} for {{cart_total}}: {{checkout_link}}", editor.brandName, null, editor.currency);
    expect(preview.body).toContain("€58.00");
    expect(preview.body).toMatch(/^Kaffeehaus Berlin: /);
  });

  it("simulates cart texts with the total in euros", async () => {
    await prisma.shop.update({ where: { domain: TEST_SHOP }, data: { settings: { sending: { templates: { cart_recovery: "{{cart_items}} for {{cart_total}}: {{checkout_link}}" } } } } });
    const run = await runSimulator((await database()).prisma, TEST_SHOP, abandonedCheckoutScenario("+4915112345678", "12:00"), NOW);
    expect(run.ok).toBe(true);
    const sent = run.ok ? run.result.timeline.filter((row) => row.kind === "sent") : [];
    expect(sent.length).toBeGreaterThan(0);
    expect(sent[0]).toMatchObject({ body: expect.stringContaining("€58.00") });
  });
});
