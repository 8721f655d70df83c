import type { ActionFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { installByTokenExchange, standinShopify, tokenRequestsOf } from "../support/offline-tokens";

// Promise (issue #17, item 5; ADR 017): every SMS consent change that reaches us through a route
// (a STOP texted in, a storefront sign-up, a double opt-in's "Y", the merchant's opt-out) reaches
// the shopper's Shopify customer record, with the real opt-in level, the latest change last, even
// across a crash, a Shopify outage, or a shop that must re-authorise first.
// GIVEN shops installed through the stand-in Shopify (expiring tokens) and the real routes.
const standin = await standinShopify();
const { shopifyConsentPusher } = await import("~/adapters/shopify-consent.server");
const { clock: appClock, fixedClock, setClock } = await import("~/clock.server");
const { database } = await import("~/db.server");
const { claimDueConsentSyncs } = await import("~/consent-sync/claim.server");
const { CONSENT_SYNC_TIMING } = await import("~/consent-sync/retry");
const { syncConsentChanges } = await import("~/consent-sync/sync-consent.server");
const { consentSyncCheck } = await import("~/ops/consent-sync-check.server");
const { confirmPossibleOptOut, listPossibleOptOuts } = await import("~/services/possible-opt-out.server");
const { action: checkoutsCreate } = await import("~/routes/webhooks.checkouts.create");
const { action: customersRedact } = await import("~/routes/webhooks.customers.redact");
const { action: shopRedact } = await import("~/routes/webhooks.shop.redact");
const { action: inbound } = await import("~/routes/twilio.inbound");
const { action: optin } = await import("~/routes/proxy.optin");
const { action: shopperPage } = await import("~/routes/app.shoppers.$id");
const { loader: appLayout } = await import("~/routes/app");
const { adminRequest } = await import("../support/admin-request");
const { appProxyRequest, checkoutPayload, fixture, webhookRequest } = await import("../support/shopify");
const { twilioWebhook } = await import("../support/twilio");

const T = new Date("2026-11-24T16:00:00Z"); // 11:00 in New York
const clock = fixedClock(T);
afterAll(() => standin.close());
standin.answer("nudgeSmsConsent", (call) => {
  const input = call.variables.input as { customerId: string };
  return { customerSmsMarketingConsentUpdate: { customer: { id: input.customerId }, userErrors: [] } };
});

type ConsentInput = { customerId: string; smsMarketingConsent: { marketingState: string; marketingOptInLevel?: string; consentUpdatedAt: string } };
let n = 0;
let shop: string;
let phone: string;
let customerId: string;

const call = (route: (args: ActionFunctionArgs) => unknown, request: Request, params = {}) => route({ request, params, context: {} }) as Promise<Response>;
const text = (body: string) => call(inbound, twilioWebhook("/twilio/inbound", { From: phone, To: "+15005550006", Body: body, MessageSid: `SMcs${n}${body}${appClock.now().getTime()}` }));
const signUp = () =>
  call(
    optin,
    appProxyRequest(
      "/proxy/optin",
      { phone, country: "US", consent: true, disclosureText: "Recurring marketing texts from Snow Devil. Msg & data rates may apply. Reply STOP to opt out.", disclosureVersion: "v1" },
      { shop, customerId },
    ),
  );
const abandonCart = async () =>
  expect((await call(checkoutsCreate, webhookRequest("checkouts/create", checkoutPayload({ token: `cs-${n}`, createdAt: appClock.now(), phone, customerId }), { shop }))).status).toBe(200);
const round = async (pushConsent = shopifyConsentPusher) => syncConsentChanges({ sql: (await database()).sql, pushConsent, workerId: "test", now: () => appClock.now() });
const syncRow = async () => (await database()).prisma.consentSync.findFirst({ where: { shop } });
/** What the stand-in Shopify was told about this shop's customers, in order. */
const toldShopify = () => standin.adminCalls.filter((c) => c.shop === shop && c.operationName === "nudgeSmsConsent").map((c) => c.variables.input as ConsentInput);

async function install(settings: Record<string, unknown> = {}) {
  await installByTokenExchange(shop);
  await (
    await database()
  ).prisma.shop.update({
    where: { domain: shop },
    data: { name: "Snow Devil", timezone: "America/New_York", settings: { journey: { holdoutPercent: { cart_recovery: 0 }, ...settings } } },
  });
}

beforeAll(() => setClock(clock));
beforeEach(async () => {
  // Each test is about its own shop: nothing a failed earlier test left owed may join its rounds.
  await (await database()).prisma.consentSync.deleteMany({});
  n++;
  shop = `consent-${n}.myshopify.com`;
  phone = `+1212555${6000 + n}`;
  customerId = String(880_000 + n);
  clock.set(T);
  standin.setRefuseRefresh(false);
});

describe("consent changes reach the shopper's Shopify customer", () => {
  // Issue #21: an opt-out in the shopper's own words reaches Shopify like a STOP.
  it.each(["STOP", "please stop texting me", "UNSUBSCRIBE ME"])("a %j texted in is stored for Shopify with the opt-out and sent as UNSUBSCRIBED", async (body) => {
    await install();
    await abandonCart();
    clock.advance(60_000);
    expect((await text(body)).status).toBe(200);

    // Written with the opt-out itself, before anyone has talked to Shopify.
    expect(await syncRow()).toMatchObject({ customerId, state: "UNSUBSCRIBED", optInLevel: null, status: "pending", attempts: 0 });
    expect(toldShopify()).toEqual([]);

    expect(await round()).toMatchObject({ claimed: 1, synced: 1 });
    expect(toldShopify()).toEqual([{ customerId: `gid://shopify/Customer/${customerId}`, smsMarketingConsent: { marketingState: "UNSUBSCRIBED", consentUpdatedAt: appClock.now().toISOString() } }]);
    expect(await syncRow()).toMatchObject({ status: "synced", syncedAt: appClock.now(), lastError: null });
    expect(await round()).toMatchObject({ claimed: 0 });
  });

  it("a storefront sign-up goes as SUBSCRIBED with SINGLE_OPT_IN", async () => {
    await install();
    expect((await signUp()).status).toBe(200);
    await round();
    expect(toldShopify()).toEqual([
      { customerId: `gid://shopify/Customer/${customerId}`, smsMarketingConsent: { marketingState: "SUBSCRIBED", marketingOptInLevel: "SINGLE_OPT_IN", consentUpdatedAt: T.toISOString() } },
    ]);
  });

  it("a double opt-in goes as CONFIRMED_OPT_IN once the shopper replies Y, and not before", async () => {
    await install({ doubleOptIn: true });
    expect(await (await signUp()).json()).toMatchObject({ message: expect.stringContaining("Reply Y") });
    expect(await syncRow()).toBeNull();
    expect(await round()).toMatchObject({ claimed: 0 });

    clock.advance(5 * 60_000);
    expect((await text("Y")).status).toBe(200);
    expect(await syncRow()).toMatchObject({ state: "SUBSCRIBED", optInLevel: "CONFIRMED_OPT_IN" });
    await round();
    expect(toldShopify()).toEqual([
      {
        customerId: `gid://shopify/Customer/${customerId}`,
        smsMarketingConsent: { marketingState: "SUBSCRIBED", marketingOptInLevel: "CONFIRMED_OPT_IN", consentUpdatedAt: appClock.now().toISOString() },
      },
    ]);
  });

  it("a START from a shopper who confirmed a double opt-in leaves Shopify's CONFIRMED_OPT_IN as it is", async () => {
    await install({ doubleOptIn: true });
    await signUp();
    await text("Y");
    await round();
    clock.advance(60_000);
    await text("START");
    expect(await round()).toMatchObject({ claimed: 0 });
    expect(toldShopify().map((c) => c.smsMarketingConsent.marketingOptInLevel)).toEqual(["CONFIRMED_OPT_IN"]);
    expect(await syncRow()).toMatchObject({ optInLevel: "CONFIRMED_OPT_IN", status: "synced" });
  });

  it("a possible opt-out the merchant confirms goes as UNSUBSCRIBED, dated when the shopper sent it", async () => {
    await install();
    await abandonCart();
    clock.advance(60_000);
    await text("can you stop by the store?");
    const sentAt = appClock.now();
    expect(await round()).toMatchObject({ claimed: 0 });
    const { sql } = await database();
    const [flagged] = await listPossibleOptOuts(sql, shop);
    clock.advance(3_600_000);
    expect(await confirmPossibleOptOut(sql, shop, flagged!.eventId, appClock.now())).toBe("opted_out");
    await round();
    expect(toldShopify()).toEqual([{ customerId: `gid://shopify/Customer/${customerId}`, smsMarketingConsent: { marketingState: "UNSUBSCRIBED", consentUpdatedAt: sentAt.toISOString() } }]);
  });

  it("the merchant's opt-out from the shopper page goes as UNSUBSCRIBED", async () => {
    await install();
    await signUp();
    const shopper = await (await database()).prisma.shopper.findFirstOrThrow({ where: { shop, phone } });
    clock.advance(60_000);
    const res = await call(shopperPage, await adminRequest(`/app/shoppers/${shopper.id}`, { shop, form: { intent: "opt_out" } }), { id: shopper.id });
    expect(res).toMatchObject({ ok: true });
    await round();
    expect(toldShopify().map((c) => c.smsMarketingConsent.marketingState)).toEqual(["UNSUBSCRIBED"]);
  });
});

describe("the latest change wins", () => {
  it("a STOP after a sign-up, before either was sent, is the one change Shopify hears", async () => {
    await install();
    await signUp();
    clock.advance(60_000);
    await text("STOP");
    await round();
    expect(toldShopify().map((c) => c.smsMarketingConsent.marketingState)).toEqual(["UNSUBSCRIBED"]);
  });

  it("a STOP arriving while the sign-up is on its way to Shopify is sent after it, and the row ends unsubscribed", async () => {
    await install();
    await signUp();
    const stopMidPush: typeof shopifyConsentPusher = async (push) => {
      clock.advance(60_000);
      await text("STOP"); // the shopper texts STOP while this push is in flight
      return shopifyConsentPusher(push);
    };
    expect(await round(stopMidPush)).toMatchObject({ claimed: 1, synced: 1 });
    // The sign-up's success didn't mark the newer STOP as done: it is still owed, and goes next.
    expect(await syncRow()).toMatchObject({ state: "UNSUBSCRIBED", status: "pending" });
    expect(await round()).toMatchObject({ claimed: 1, synced: 1 });
    expect(toldShopify().map((c) => [c.smsMarketingConsent.marketingState, c.smsMarketingConsent.consentUpdatedAt])).toEqual([
      ["SUBSCRIBED", T.toISOString()],
      ["UNSUBSCRIBED", new Date(T.getTime() + 60_000).toISOString()],
    ]);
    expect(await syncRow()).toMatchObject({ state: "UNSUBSCRIBED", status: "synced" });
  });
});

describe("nothing is lost", () => {
  it("a worker that dies mid-push leaves the STOP to the next worker once its lease runs out", async () => {
    await install();
    await abandonCart();
    await text("STOP");
    // A worker claims the row and dies before it can record anything.
    expect(await claimDueConsentSyncs((await database()).sql, { now: appClock.now(), limit: 10, workerId: "dead", leaseMs: CONSENT_SYNC_TIMING.leaseMs })).toHaveLength(1);
    expect(await round()).toMatchObject({ claimed: 0 }); // still held by the dead worker
    clock.advance(CONSENT_SYNC_TIMING.leaseMs);
    expect(await round()).toMatchObject({ claimed: 1, synced: 1 });
    expect(toldShopify().map((c) => c.smsMarketingConsent.marketingState)).toEqual(["UNSUBSCRIBED"]);
    expect(await syncRow()).toMatchObject({ status: "synced", attempts: 2, claimedBy: null });
  });

  it("a Shopify outage is waited out with backoff, and the STOP goes when Shopify is back", async () => {
    await install();
    await abandonCart();
    await text("STOP");
    standin.failAdminCalls(2, 500);
    expect(await round()).toMatchObject({ claimed: 1, retrying: 1 });
    expect(await syncRow()).toMatchObject({ status: "pending", attempts: 1, lastError: "Shopify answered 429 or 5xx on each of 3 tries" });
    clock.advance(30_000);
    expect(await round()).toMatchObject({ claimed: 1, retrying: 1 });
    clock.advance(60_000);
    expect(await round()).toMatchObject({ claimed: 1, synced: 1 });
    expect(toldShopify().map((c) => c.smsMarketingConsent.marketingState)).toEqual(["UNSUBSCRIBED", "UNSUBSCRIBED", "UNSUBSCRIBED"]);
    expect(await syncRow()).toMatchObject({ status: "synced", lastError: null });
  });

  it("after the last attempt the change is parked as failed, and the doctor says so with the error", async () => {
    await install();
    await abandonCart();
    await text("STOP");
    standin.failAdminCalls(CONSENT_SYNC_TIMING.maxAttempts, 500);
    for (let attempt = 1; attempt <= CONSENT_SYNC_TIMING.maxAttempts; attempt++) {
      expect(await round()).toMatchObject({ claimed: 1 });
      clock.advance(CONSENT_SYNC_TIMING.retryCapMs);
    }
    expect(await syncRow()).toMatchObject({ status: "failed", attempts: CONSENT_SYNC_TIMING.maxAttempts, lastError: expect.stringContaining("5xx") });
    expect(await round()).toMatchObject({ claimed: 0 });
    const check = await consentSyncCheck((await database()).sql);
    expect(check).toMatchObject({ name: "consent sync", status: "fail" });
    expect(check.detail).toMatch(/\d+ consent changes parked after failing/);
    expect(check.detail).toContain(`latest error (${shop}): Shopify answered 429 or 5xx on each of 3 tries`);
  });
});

describe("a shop whose token Shopify won't renew", () => {
  it("keeps its STOP waiting, uncounted, and sends it once the merchant reopens the app", async () => {
    await install();
    await abandonCart();
    // The token ages into the renewal margin, and Shopify refuses the refresh token.
    await (await database()).prisma.session.update({ where: { id: `offline_${shop}` }, data: { expires: new Date(Date.now() + 8 * 60_000) } });
    standin.setRefuseRefresh(true);
    await text("STOP");

    expect(await round()).toMatchObject({ claimed: 1, waitingForReauth: 1 });
    expect(await (await database()).prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).toMatchObject({ reauthNeededAt: expect.any(Date) });
    expect(await syncRow()).toMatchObject({ status: "pending", attempts: 0, lastError: expect.stringContaining("needs_reauth") });

    // Days pass: the row is neither dropped nor retried against Shopify while the shop is flagged.
    for (let day = 0; day < 3; day++) {
      clock.advance(86_400_000);
      expect(await round()).toMatchObject({ claimed: 0 });
    }
    expect(tokenRequestsOf(standin, shop).filter((r) => r.grant === "refresh_token")).toHaveLength(1);
    expect((await consentSyncCheck((await database()).sql)).detail).toMatch(/\d+ waiting for their shop to re-authorise/);
    expect(toldShopify()).toEqual([]);

    // The merchant reopens the app: a token exchange stores a new session and clears the flag.
    standin.setRefuseRefresh(false);
    expect(await appLayout({ request: await adminRequest("/app", { shop }), params: {}, context: {} })).toMatchObject({ reauthNeeded: false });
    expect(await round()).toMatchObject({ claimed: 1, synced: 1 });
    expect(toldShopify().map((c) => c.smsMarketingConsent.marketingState)).toEqual(["UNSUBSCRIBED"]);
    expect(await syncRow()).toMatchObject({ status: "synced", attempts: 1 });
  });
});

describe("erasure", () => {
  it("customers/redact removes the customer's pending consent sync; shop/redact removes the shop's", async () => {
    await install();
    await abandonCart();
    await text("STOP");
    expect(await syncRow()).not.toBeNull();
    const payload = { ...fixture("customers_redact"), shop_domain: shop, customer: { id: Number(customerId), email: null, phone } };
    expect((await call(customersRedact, webhookRequest("customers/redact", payload, { shop }))).status).toBe(200);
    expect(await syncRow()).toBeNull();

    phone = `+1212555${7000 + n}`;
    customerId = String(990_000 + n);
    await abandonCart();
    await text("STOP");
    expect(await syncRow()).not.toBeNull();
    expect((await call(shopRedact, webhookRequest("shop/redact", { ...fixture("shop_redact"), shop_domain: shop }, { shop }))).status).toBe(200);
    expect(await (await database()).prisma.consentSync.count({ where: { shop } })).toBe(0);
  });
});
