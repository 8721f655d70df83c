import { afterAll, describe, expect, it } from "vitest";
import { startDemoShopify } from "~/demo/shopify/demo-shopify.server";
import { parseEnv } from "~/env.server";
import { validateAdminCall } from "../support/admin-schema";

// GIVEN the demo's stand-in Shopify (npm run demo), checking every call against the Admin schema
// like the tests' stand-in, reached through SHOPIFY_API_ORIGIN as production reaches Shopify.
const SHOP = "demo-standin.myshopify.com";
const DETAILS = { name: "Nudge Demo Store", timezone: "America/New_York", currency: "USD", contactEmail: "hello@nudge-demo.example", country: "US" };
const shopify = await startDemoShopify({
  apiKey: process.env.SHOPIFY_API_KEY!,
  apiSecret: process.env.SHOPIFY_API_SECRET!,
  scope: parseEnv(process.env).SCOPES,
  shop: SHOP,
  offlineToken: "shpat_unused",
  details: DETAILS,
  plan: { name: "Nudge SMS", cappedAmount: "0.05", currency: "USD", terms: "0.02 USD per SMS segment", currentPeriodEnd: new Date(Date.now() + 30 * 86_400_000) },
  validate: validateAdminCall,
});
process.env.SHOPIFY_API_ORIGIN = shopify.url;
const { installByTokenExchange } = await import("../support/offline-tokens");
const { database } = await import("~/db.server");
const { backgroundAdmin } = await import("~/adapters/shopify-admin.server");
const { shopifyDiscountMinter } = await import("~/adapters/shopify-discounts.server");
const { shopifyConsentPusher } = await import("~/adapters/shopify-consent.server");
const { listSegments } = await import("~/adapters/shopify-segments.server");
const { countOrdersSince, readExport, startOrderExport } = await import("~/adapters/shopify-order-history.server");
const { fetchActiveSubscription, isDevelopmentStore, shopifyUsageCharger } = await import("~/adapters/shopify-billing.server");
afterAll(() => shopify.close());

async function admin() {
  const result = await backgroundAdmin(SHOP);
  if (!result.ok) throw new Error(`no admin: ${result.reason} ${result.message}`);
  return result.admin;
}

describe("the demo's stand-in Shopify, through the app's real adapters", () => {
  it("installs the shop: its details are stored and its web pixel created", async () => {
    await installByTokenExchange(SHOP);
    const shop = await (await database()).prisma.shop.findUnique({ where: { domain: SHOP } });
    expect(shop).toMatchObject({ name: DETAILS.name, timezone: DETAILS.timezone, currency: DETAILS.currency, contactEmail: DETAILS.contactEmail, country: DETAILS.country });
    expect(shop?.webPixelId).toMatch(/^gid:\/\/shopify\/WebPixel\//);
  });

  it("takes discount codes and consent changes", async () => {
    const now = new Date();
    expect(await shopifyDiscountMinter({ shop: SHOP, code: "NUDGE-ABC", percent: 10, startsAt: now, endsAt: new Date(now.getTime() + 86_400_000), title: "Cart recovery" })).toMatchObject({
      ok: true,
      id: expect.stringMatching(/^gid:\/\/shopify\/DiscountCodeNode\//),
    });
    expect(await shopifyConsentPusher({ shop: SHOP, customerId: "42", state: "SUBSCRIBED", optInLevel: "SINGLE_OPT_IN", consentUpdatedAt: now })).toEqual({ ok: true });
  });

  it("adds pooled codes to a discount in bulk (ADR 025)", async () => {
    const bulk = shopifyDiscountMinter.bulk!;
    const added = await bulk.add(SHOP, "gid://shopify/DiscountCodeNode/1", ["NUDGE-POOL1", "NUDGE-POOL2"]);
    if (!added.ok) throw new Error(added.message);
    expect(await bulk.added(SHOP, added.bulkId)).toEqual({ ok: true, done: true, created: ["NUDGE-POOL1", "NUDGE-POOL2"] });
  });

  it("has no segments and no order history yet", async () => {
    const client = await admin();
    expect(await listSegments(client, SHOP)).toEqual({ ok: true, value: [] });
    const since = new Date(Date.now() - 365 * 86_400_000);
    expect(await countOrdersSince(client, since)).toBe(0);
    const started = await startOrderExport(client, since);
    if (!started.ok) throw new Error(started.message);
    expect(await readExport(client, started.id)).toMatchObject({ status: "COMPLETED", url: null });
  });

  it("holds an approved test plan whose usage line item takes charges up to its cap, and no further", async () => {
    expect(await isDevelopmentStore(await admin())).toBe(true);
    const before = await fetchActiveSubscription(SHOP);
    expect(before).toEqual({
      ok: true,
      subscription: expect.objectContaining({ id: shopify.subscription.id, status: "ACTIVE", lineItemId: shopify.subscription.lineItemId, cappedAmount: "0.05", balanceUsed: "0.00" }),
    });
    const charge = (key: string) =>
      shopifyUsageCharger({ shop: SHOP, lineItemId: shopify.subscription.lineItemId, amount: "0.02", currency: "USD", description: "1 SMS segment", idempotencyKey: key });
    expect(await charge("a")).toMatchObject({ ok: true, balance: { balanceUsed: "0.02", cappedAmount: "0.05" } });
    expect(await charge("a")).toMatchObject({ ok: true, balance: { balanceUsed: "0.02" } });
    expect(await charge("b")).toMatchObject({ ok: true, balance: { balanceUsed: "0.04" } });
    expect(await charge("c")).toMatchObject({ ok: false, retry: "cap" });
    const after = await fetchActiveSubscription(SHOP);
    expect(after).toMatchObject({ ok: true, subscription: { balanceUsed: "0.04" } });
  });
});
