import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { installByTokenExchange, standinShopify, storedSession, tokenRequestsOf } from "../support/offline-tokens";

// GIVEN a shop installed through the stand-in Shopify (expiring tokens), whose refresh token
// Shopify then refuses, and the dispatcher minting real codes through backgroundAdmin.
const standin = await standinShopify();
const { shopifyDiscountMinter } = await import("~/adapters/shopify-discounts.server");
const { clock: appClock, fixedClock, setClock } = await import("~/clock.server");
const { database } = await import("~/db.server");
const { dispatchDueMessages } = await import("~/dispatch/dispatch.server");
const { action: checkoutsCreate } = await import("~/routes/webhooks.checkouts.create");
const { loader: appLayout } = await import("~/routes/app");
const { startFakeTwilio } = await import("../mocks/twilio");
const { testGateway } = await import("../support/dispatch");
const { adminRequest } = await import("../support/admin-request");
const { checkoutPayload, webhookRequest } = await import("../support/shopify");
const { ReauthBanner } = await import("~/components/reauth-banner");
const { renderPage } = await import("../support/render-page");

const T = new Date("2026-11-24T15:00:00Z"); // 10:00 in Toronto
const clock = fixedClock(T);
const fake = await startFakeTwilio();
afterAll(async () => {
  await fake.close();
  await standin.close();
});
standin.answer("nudgeDiscount", () => ({ discountCodeBasicCreate: { codeDiscountNode: { id: "gid://shopify/DiscountCodeNode/7" }, userErrors: [] } }));

let n = 0;
let shop: string;
let phone: string;

async function dispatch() {
  const { sql } = await database();
  const gateway = testGateway(fake);
  return dispatchDueMessages({ sql, gatewayFor: () => gateway, mintDiscount: shopifyDiscountMinter, workerId: "w", now: () => appClock.now(), statusCallbackUrl: null });
}

async function layout() {
  return (await appLayout({ request: await adminRequest("/app", { shop }), params: {}, context: {} })) as { reauthNeeded: boolean };
}

/** A cart abandoned 20 minutes ago: its first text offers a code. */
async function abandonCart(sending: { sendWithoutDiscount?: boolean } = {}) {
  const prisma = (await database()).prisma;
  await prisma.shop.update({
    where: { domain: shop },
    data: { name: "Snow Devil", timezone: "America/Toronto", settings: { journey: { holdoutPercent: { cart_recovery: 0 } }, sending } },
  });
  const request = webhookRequest("checkouts/create", checkoutPayload({ token: `reauth-${n}`, createdAt: T, phone }), { shop });
  expect((await checkoutsCreate({ request, params: {}, context: {} })).status).toBe(200);
  clock.set(new Date(T.getTime() + 20 * 60_000));
}

beforeAll(() => setClock(clock));
beforeEach(async () => {
  shop = `reauth-${++n}.myshopify.com`;
  phone = `+1212555${3000 + n}`;
  clock.set(T);
  standin.setRefuseRefresh(false);
  await installByTokenExchange(shop);
  // The token then ages to 8 minutes left, inside the 10-minute renewal margin: the first
  // background call after install refreshes (afterAuth's own calls found it fresh).
  await (await database()).prisma.session.update({ where: { id: `offline_${shop}` }, data: { expires: new Date(Date.now() + 8 * 60_000) } });
});

describe("a shop whose refresh token Shopify refuses", () => {
  it("holds its code text with reason shop_needs_reauth, sends nothing without the code, and sends it once the merchant reopens the app", async () => {
    await abandonCart();
    standin.setRefuseRefresh(true);

    expect(await dispatch()).toMatchObject({ claimed: 1, deferred: 1, sent: 0, errors: 0 });
    const prisma = (await database()).prisma;
    const [held] = await prisma.scheduledMessage.findMany({ where: { shop } });
    expect(held).toMatchObject({ status: "scheduled", reason: "shop_needs_reauth" });
    expect(held!.dueAt.getTime()).toBe(appClock.now().getTime() + 15 * 60_000);
    expect(fake.messages.filter((m) => m.to === phone)).toEqual([]);
    expect(await prisma.shop.findUnique({ where: { domain: shop } })).toMatchObject({ reauthNeededAt: expect.any(Date) });
    const [code] = await prisma.discountCode.findMany({ where: { shop } });
    expect(code).toMatchObject({ shopifyId: null }); // recorded, not yet at Shopify: the retry asks for the same code
    expect(standin.adminCalls.filter((c) => c.shop === shop && c.operationName === "nudgeDiscount")).toEqual([]);

    // Later ticks don't ask Shopify again while the shop is flagged.
    clock.set(held!.dueAt);
    expect(await dispatch()).toMatchObject({ deferred: 1, sent: 0 });
    expect(tokenRequestsOf(standin, shop).filter((r) => r.grant === "refresh_token")).toHaveLength(1);

    // The merchant reopens the app: a token exchange stores a new session and afterAuth clears the flag.
    standin.setRefuseRefresh(false);
    expect(await layout()).toMatchObject({ reauthNeeded: false });
    expect(tokenRequestsOf(standin, shop).map((r) => r.grant)).toEqual(["token_exchange", "refresh_token", "token_exchange"]);
    expect(await prisma.shop.findUnique({ where: { domain: shop } })).toMatchObject({ reauthNeededAt: null, reauthReason: null });

    clock.set(new Date(held!.dueAt.getTime() + 15 * 60_000));
    expect(await dispatch()).toMatchObject({ sent: 1 });
    const body = fake.messages.find((m) => m.to === phone)!.body;
    expect(body).toContain(`/discount/${code!.code}`);
    expect(standin.adminCalls.filter((c) => c.shop === shop && c.operationName === "nudgeDiscount").map((c) => (c.variables.basicCodeDiscount as { code: string }).code)).toEqual([code!.code]);
    expect(await prisma.scheduledMessage.findMany({ where: { shop } })).toEqual([expect.objectContaining({ status: "sent" })]);
  });

  it("holds the code text even where the merchant lets texts go without a code when Shopify can't make one", async () => {
    await abandonCart({ sendWithoutDiscount: true });
    standin.setRefuseRefresh(true);
    expect(await dispatch()).toMatchObject({ deferred: 1, sent: 0 });
    const prisma = (await database()).prisma;
    expect(await prisma.scheduledMessage.findMany({ where: { shop } })).toEqual([expect.objectContaining({ status: "scheduled", reason: "shop_needs_reauth" })]);
    expect(fake.messages.filter((m) => m.to === phone)).toEqual([]);
  });

  it("shows the merchant a banner while the flag is set", async () => {
    const prisma = (await database()).prisma;
    await prisma.shop.update({ where: { domain: shop }, data: { reauthNeededAt: new Date(), reauthReason: "refresh refused" } });
    // The stored session still looks live, so this admin load makes no token exchange that would clear it.
    expect(await layout()).toMatchObject({ reauthNeeded: true });
    expect(renderPage(ReauthBanner, "/app", {})).toContain("Nudge needs you to reopen it");
    expect(standin.isLive((await storedSession(shop))!.accessToken)).toBe(true);
  });
});
