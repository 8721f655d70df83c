import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installByTokenExchange, standinShopify, tokenRequestsOf } from "../support/offline-tokens";

// GIVEN a shop whose stored offline token has expired and whose refresh token Shopify now
// refuses, as after an uninstall. With the Remix library's authenticate.webhook, loading that
// session tried a refresh and answered 500 to every delivery, forever (shopify-app-js #3360,
// PR #3361). Our webhook edge verifies the HMAC without loading a session, so the uninstall and
// compliance webhooks must still answer 200 and do their work.
const standin = await standinShopify();
const { backgroundAdmin } = await import("~/adapters/shopify-admin.server");
const { fixedClock, setClock } = await import("~/clock.server");
const { database } = await import("~/db.server");
const { action: checkoutsCreate } = await import("~/routes/webhooks.checkouts.create");
const { action: uninstalled } = await import("~/routes/webhooks.app.uninstalled");
const { action: customersRedact } = await import("~/routes/webhooks.customers.redact");
const { action: shopRedact } = await import("~/routes/webhooks.shop.redact");
const { checkoutPayload, fixture, webhookRequest } = await import("../support/shopify");

const T = new Date("2026-11-24T15:00:00Z");
const call = (route: typeof checkoutsCreate, request: Request) => route({ request, params: {}, context: {} });
afterAll(() => standin.close());
beforeAll(() => setClock(fixedClock(T)));

/** Installed, with a pending text for `phone`, then the token expired and the refresh token refused. */
async function shopWithDeadToken(shop: string, phone: string) {
  standin.setRefuseRefresh(false);
  await installByTokenExchange(shop);
  const prisma = (await database()).prisma;
  await prisma.shop.update({ where: { domain: shop }, data: { timezone: "America/Toronto", settings: { journey: { holdoutPercent: { cart_recovery: 0 } } } } });
  expect((await call(checkoutsCreate, webhookRequest("checkouts/create", checkoutPayload({ token: `dead-${shop}`, createdAt: T, phone }), { shop }))).status).toBe(200);
  expect(await prisma.scheduledMessage.count({ where: { shop, status: "scheduled" } })).toBe(1);
  await prisma.session.update({ where: { id: `offline_${shop}` }, data: { expires: new Date(Date.now() - 60_000) } });
  standin.setRefuseRefresh(true);
  return prisma;
}

describe("webhooks for a shop whose token can't be refreshed", () => {
  it("reproduces the library's failure: authenticate.webhook tries the refresh and answers 500 (why our edge loads no session)", async () => {
    const shop = "expired-library.myshopify.com";
    await shopWithDeadToken(shop, "+16135550120");
    const { authenticate } = await import("~/shopify.server");
    const thrown = await authenticate.webhook(webhookRequest("app/uninstalled", fixture("app_uninstalled"), { shop })).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(500);
    expect(tokenRequestsOf(standin, shop).filter((r) => r.grant === "refresh_token")).toEqual([{ shop, grant: "refresh_token", expiring: true, ok: false }]);
  });

  it("app/uninstalled answers 200, stops every pending text and deletes the sessions, without asking for a token", async () => {
    const shop = "expired-uninstall.myshopify.com";
    const prisma = await shopWithDeadToken(shop, "+16135550121");
    const before = tokenRequestsOf(standin, shop).length;

    const res = await call(uninstalled, webhookRequest("app/uninstalled", fixture("app_uninstalled"), { shop }));
    expect(res.status).toBe(200);
    expect(await prisma.scheduledMessage.count({ where: { shop, status: "cancelled", reason: "app_uninstalled" } })).toBe(1);
    expect(await prisma.session.count({ where: { shop } })).toBe(0);
    expect(await prisma.shop.findUnique({ where: { domain: shop } })).toMatchObject({ uninstalledAt: T });
    expect(tokenRequestsOf(standin, shop)).toHaveLength(before);

    // Background work for the shop now finds no session rather than failing.
    expect(await backgroundAdmin(shop)).toMatchObject({ ok: false, reason: "no_session" });
  });

  it("customers/redact and shop/redact answer 200 and erase, after a refused refresh flagged the shop", async () => {
    const shop = "expired-redact.myshopify.com";
    const phone = "+16135550122";
    const prisma = await shopWithDeadToken(shop, phone);
    expect(await backgroundAdmin(shop)).toMatchObject({ ok: false, reason: "needs_reauth" });

    const redact = { ...fixture("customers_redact"), shop_domain: shop, customer: { id: 1, email: null, phone } };
    expect((await call(customersRedact, webhookRequest("customers/redact", redact, { shop }))).status).toBe(200);
    expect(await prisma.shopper.findMany({ where: { shop } })).toEqual([expect.objectContaining({ phone: null, consent: "redacted" })]);

    expect((await call(shopRedact, webhookRequest("shop/redact", { ...fixture("shop_redact"), shop_domain: shop }, { shop }))).status).toBe(200);
    expect(await prisma.shop.count({ where: { domain: shop } })).toBe(0);
    expect(await prisma.session.count({ where: { shop } })).toBe(0);
    expect(tokenRequestsOf(standin, shop).filter((r) => r.grant === "refresh_token")).toEqual([{ shop, grant: "refresh_token", expiring: true, ok: false }]);
  });
});
