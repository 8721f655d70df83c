import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { answerBillingPlan } from "../support/billing-standin";
import { installByTokenExchange, standinShopify } from "../support/offline-tokens";

// Promise (issue #20; ADR 023): with billing on, a shop approves a usage plan before its admin
// works; every text sent on the app's Twilio account is charged to Shopify exactly once, with an
// idempotency key, through a durable queue, even across a crash; when Shopify refuses a charge for
// the cap, the shop's next texts wait (spending_limit) until the cap is raised.
// GIVEN billing on, a stand-in Shopify reached over HTTP, the real routes and the fake Twilio.
process.env.NUDGE_BILLING = "on";
process.env.NUDGE_PRICE_PER_SEGMENT = "0.02";
process.env.NUDGE_DEFAULT_CAP = "50.00";
const standin = await standinShopify();
const { fetchActiveSubscription, shopifyUsageCharger } = await import("~/adapters/shopify-billing.server");
const { chargeUsage } = await import("~/billing/charge-usage.server");
const { claimDueUsageCharges } = await import("~/billing/claim.server");
const { dispatchBillingFromEnv } = await import("~/billing/from-env.server");
const { fixedClock, setClock } = await import("~/clock.server");
const { database } = await import("~/db.server");
const { dispatchDueMessages } = await import("~/dispatch/dispatch.server");
const { claimDueMessages } = await import("~/dispatch/claim.server");
const { recoverStuckMessages } = await import("~/dispatch/recover.server");
const { loader: appLayout } = await import("~/routes/app");
const { action: subscriptionsUpdate } = await import("~/routes/webhooks.app_subscriptions.update");
const { adminRequest } = await import("../support/admin-request");
const { seedDueWelcomes, testGateway } = await import("../support/dispatch");
const { TEST_SHOP, webhookRequest } = await import("../support/shopify");
const { startFakeTwilio } = await import("../mocks/twilio");
const { usageChargesCheck } = await import("~/ops/usage-charges-check.server");
const { default: Dashboard, loader: dashboardLoader } = await import("~/routes/app._index");
const { default: SettingsPage, loader: settingsLoader } = await import("~/routes/app.settings");
const { renderPage } = await import("../support/render-page");

const T = new Date("2026-11-24T15:00:00Z"); // 10:00 in New York
const clock = fixedClock(T);
const fake = await startFakeTwilio();
const billing = dispatchBillingFromEnv()!;
afterAll(async () => Promise.all([standin.close(), fake.close()]));

const SUBSCRIPTION = "gid://shopify/AppSubscription/4019585080";
const LINE_ITEM = "gid://shopify/AppSubscriptionLineItem/4019585080?v=1&index=1";
/** What the stand-in Shopify holds: usage records by idempotency key, as Shopify dedupes them. */
let records: Map<string, { id: string; amount: string; description: string }>;
let capped = "50.0";
let refuseForCap = false;

answerBillingPlan(standin, { subscriptionId: SUBSCRIPTION, lineItemId: LINE_ITEM, createdAt: T.toISOString(), currentPeriodEnd: "2026-12-20T00:00:00Z", cappedAmount: () => capped });
standin.answer("nudgeUsageRecord", (call) => {
  const key = String(call.variables.idempotencyKey);
  const price = call.variables.price as { amount: string };
  if (!records.has(key)) {
    if (refuseForCap) return { appUsageRecordCreate: { appUsageRecord: null, userErrors: [{ field: null, message: "Total price exceeds balance remaining" }] } };
    records.set(key, { id: `gid://shopify/AppUsageRecord/${records.size + 1}`, amount: price.amount, description: String(call.variables.description) });
  }
  const used = [...records.values()].reduce((sum, r) => sum + Number(r.amount), 0).toFixed(2);
  return {
    appUsageRecordCreate: {
      appUsageRecord: {
        id: records.get(key)!.id,
        subscriptionLineItem: { plan: { pricingDetails: { __typename: "AppUsagePricing", balanceUsed: { amount: used }, cappedAmount: { amount: capped } } } },
      },
      userErrors: [],
    },
  };
});

const call = (route: (args: ActionFunctionArgs) => unknown, request: Request) => route({ request, params: {}, context: {} }) as Promise<Response>;
const subscriptionWebhook = (status: string, extra: Record<string, unknown> = {}) =>
  call(
    subscriptionsUpdate,
    webhookRequest("app_subscriptions/update", {
      app_subscription: {
        admin_graphql_api_id: SUBSCRIPTION,
        name: "Nudge SMS",
        status,
        admin_graphql_api_shop_id: "gid://shopify/Shop/548380009",
        created_at: "2026-11-24T09:00:00-05:00",
        updated_at: clock.now().toISOString(),
        currency: "USD",
        capped_amount: capped,
        ...extra,
      },
    }),
  );
const dispatch = async () => dispatchDueMessages({ sql: (await database()).sql, gatewayFor: () => testGateway(fake), billing, workerId: "test", now: () => clock.now(), statusCallbackUrl: null });
const chargeRound = async () => chargeUsage({ sql: (await database()).sql, charge: shopifyUsageCharger, fetchSubscription: fetchActiveSubscription, workerId: "test", now: () => clock.now() });
const usageCalls = () => standin.adminCalls.filter((c) => c.operationName === "nudgeUsageRecord");

beforeAll(async () => {
  setClock(clock);
  await installByTokenExchange(TEST_SHOP);
  await (await database()).prisma.shop.update({ where: { domain: TEST_SHOP }, data: { settings: { journey: { holdoutPercent: { welcome: 0 } } } } });
});
beforeEach(() => {
  clock.set(T);
  records = new Map();
  refuseForCap = false;
});

describe("the admin waits for an approved plan", () => {
  it("sends a new shop's first admin load to approve a 30-day plan with a usage line item and capped amount, as a test charge on a development store", async () => {
    const shop = "billing-new.myshopify.com";
    await installByTokenExchange(shop);
    const thrown = await Promise.resolve(appLayout({ request: await adminRequest("/app", { shop }), params: {}, context: {} } as LoaderFunctionArgs)).then(
      () => null,
      (response: unknown) => response,
    );
    // A fetch from inside the iframe: App Bridge is told to leave it for Shopify's approval page.
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(401);
    expect((thrown as Response).headers.get("X-Shopify-API-Request-Failure-Reauthorize-Url")).toMatch(/confirm_recurring_application_charge/);
    const create = standin.adminCalls.find((c) => c.shop === shop && c.operationName === "AppSubscriptionCreate");
    expect(create?.variables).toMatchObject({
      name: "Nudge SMS",
      test: true,
      lineItems: [{ plan: { appUsagePricingDetails: { terms: "0.02 USD per SMS segment sent from Nudge's number", cappedAmount: { amount: 50, currencyCode: "USD" } } } }],
    });
  });

  it("lets the admin in once Shopify reports the plan approved (app_subscriptions/update), without asking Shopify again", async () => {
    expect((await subscriptionWebhook("ACTIVE")).status).toBe(200);
    expect(await (await database()).prisma.billingPlan.findUnique({ where: { shop: TEST_SHOP } })).toMatchObject({ status: "ACTIVE", subscriptionId: SUBSCRIPTION, currency: "USD" });
    const before = standin.adminCalls.length;
    await appLayout({ request: await adminRequest("/app", { shop: TEST_SHOP }), params: {}, context: {} } as LoaderFunctionArgs);
    expect(standin.adminCalls.slice(before).map((c) => c.operationName)).not.toContain("AppSubscriptionCreate");
  });

  it("refuses an app_subscriptions/update with a forged signature or a malformed body", async () => {
    expect((await call(subscriptionsUpdate, webhookRequest("app_subscriptions/update", { app_subscription: {} }, { secret: "wrong" }))).status).toBe(401);
    expect((await call(subscriptionsUpdate, webhookRequest("app_subscriptions/update", { app_subscription: { admin_graphql_api_id: "x", name: "n", status: "ACTIVE" } }))).status).toBe(400);
  });
});

describe("each text sent on the app's account is charged once", () => {
  it("charges a sent text exactly once, price × segments, with an idempotency key from the message id", async () => {
    const prisma = (await database()).prisma;
    await seedDueWelcomes(prisma, clock.now(), 1, "701");
    expect(await dispatch()).toMatchObject({ sent: 1 });
    const [charge] = await prisma.usageCharge.findMany({ where: { shop: TEST_SHOP } });
    const message = await prisma.scheduledMessage.findUniqueOrThrow({ where: { id: charge!.messageId } });
    expect(message.status).toBe("sent");
    expect(charge).toMatchObject({ status: "pending", segments: message.segments, idempotencyKey: `nudge-sms-${message.id}` });

    expect(await chargeRound()).toMatchObject({ claimed: 1, charged: 1 });
    expect(await chargeRound()).toMatchObject({ claimed: 0 });
    expect(usageCalls()).toHaveLength(1);
    expect(usageCalls()[0]!.variables).toEqual({
      subscriptionLineItemId: LINE_ITEM,
      price: { amount: (0.02 * message.segments!).toFixed(2), currencyCode: "USD" },
      description: expect.stringContaining("SMS"),
      idempotencyKey: `nudge-sms-${message.id}`,
    });
    expect(await prisma.usageCharge.findUniqueOrThrow({ where: { messageId: message.id } })).toMatchObject({ status: "charged", usageRecordId: "gid://shopify/AppUsageRecord/1" });
  });

  it("charges a text once when the worker died after Shopify took the charge and before recording it", async () => {
    const prisma = (await database()).prisma;
    await seedDueWelcomes(prisma, clock.now(), 1, "702");
    await dispatch();
    const { sql } = await database();
    // A worker claims the charge, Shopify takes it, and the worker dies before writing it down.
    const [claimed] = await claimDueUsageCharges(sql, { now: clock.now(), limit: 10, workerId: "doomed", leaseMs: 120_000 });
    expect(await shopifyUsageCharger({ shop: TEST_SHOP, lineItemId: LINE_ITEM, amount: claimed!.amount, currency: "USD", description: "SMS", idempotencyKey: claimed!.idempotency_key })).toMatchObject(
      { ok: true },
    );
    expect(await chargeRound()).toMatchObject({ claimed: 0 }); // leased to the dead worker
    clock.advance(121_000);
    // After the lease, a restarted worker re-drives it: Shopify answers with the same record.
    expect(await chargeRound()).toMatchObject({ claimed: 1, charged: 1 });
    expect(records.size).toBe(1);
    expect(await prisma.usageCharge.findUniqueOrThrow({ where: { messageId: claimed!.message_id } })).toMatchObject({ status: "charged", usageRecordId: "gid://shopify/AppUsageRecord/1" });
  });

  it("charges a text that left before its dispatcher died, once recovery finds it at Twilio", async () => {
    const prisma = (await database()).prisma;
    const [shopper] = await seedDueWelcomes(prisma, clock.now(), 1, "703");
    const { sql } = await database();
    const [message] = await claimDueMessages(sql, { now: clock.now(), limit: 10, workerId: "doomed" });
    expect((await testGateway(fake).send({ to: shopper!.phone, body: "Nudge Test Shop: welcome to our texts" })).ok).toBe(true);
    // The send transaction died with the worker: no charge yet, and none lost.
    expect(await prisma.usageCharge.count({ where: { messageId: message!.id } })).toBe(0);
    expect(await recoverStuckMessages(sql, () => testGateway(fake), { now: clock.now(), staleAfterMs: 0, billing })).toMatchObject({ reconciled: 1 });
    expect(await prisma.usageCharge.findUniqueOrThrow({ where: { messageId: message!.id } })).toMatchObject({ status: "pending", segments: 1 });
    expect(await chargeRound()).toMatchObject({ charged: 1 });
    expect(records.size).toBe(1);
  });

  it("charges nothing for texts sent through the shop's own Twilio account", async () => {
    const prisma = (await database()).prisma;
    const shoppers = await seedDueWelcomes(prisma, clock.now(), 1, "704");
    const own = { ...billing, ownTwilioAccount: () => true };
    expect(
      await dispatchDueMessages({ sql: (await database()).sql, gatewayFor: () => testGateway(fake), billing: own, workerId: "test", now: () => clock.now(), statusCallbackUrl: null }),
    ).toMatchObject({ sent: 1 });
    const sent = await prisma.scheduledMessage.findFirstOrThrow({ where: { shopperId: shoppers[0]!.id } });
    expect(await prisma.usageCharge.count({ where: { messageId: sent.id } })).toBe(0);
  });
});

describe("the spending cap", () => {
  it("holds the shop's next texts once Shopify refuses a charge for the cap, and sends them when the cap is raised", async () => {
    const prisma = (await database()).prisma;
    await seedDueWelcomes(prisma, clock.now(), 1, "711");
    await dispatch();
    refuseForCap = true;
    expect(await chargeRound()).toMatchObject({ held: 1 });
    expect(await prisma.billingPlan.findUniqueOrThrow({ where: { shop: TEST_SHOP } })).toMatchObject({ spendingLimitAt: clock.now() });
    // Owed, not lost: npm run nudge -- doctor shows it.
    expect(await usageChargesCheck((await database()).sql)).toMatchObject({ status: "warn", detail: expect.stringContaining("1 held at a shop's spending cap") });

    // The next text waits: not dropped, not sent free.
    const [next] = await seedDueWelcomes(prisma, clock.now(), 1, "712");
    const sentBefore = fake.messages.length;
    expect(await dispatch()).toMatchObject({ deferred: 1, sent: 0 });
    expect(fake.messages.length).toBe(sentBefore);
    const waiting = await prisma.scheduledMessage.findFirstOrThrow({ where: { shopperId: next!.id } });
    expect(waiting).toMatchObject({ status: "scheduled", reason: "spending_limit" });
    expect(waiting.dueAt.getTime()).toBeGreaterThan(clock.now().getTime());

    // The dashboard says so, with the way to raise the cap.
    const dashboard = await dashboardLoader({ request: await adminRequest("/app", { shop: TEST_SHOP }), params: {}, context: {} } as LoaderFunctionArgs);
    expect(dashboard.billing).toMatchObject({ spendingLimitReached: true, canRaiseCap: true, capCents: 5000 });
    const html = renderPage(Dashboard, "/app", JSON.parse(JSON.stringify(dashboard)));
    expect(html).toContain("Spending limit reached: texts are waiting");
    expect(html).toContain("Raise the cap");

    // The merchant approves a higher cap (appSubscriptionLineItemUpdate → Shopify's webhook).
    refuseForCap = false;
    clock.advance(60_000);
    capped = "100.0";
    expect((await subscriptionWebhook("ACTIVE")).status).toBe(200);
    expect(await prisma.billingPlan.findUniqueOrThrow({ where: { shop: TEST_SHOP } })).toMatchObject({ spendingLimitAt: null });
    expect(await dispatch()).toMatchObject({ sent: 1 });
    expect(await chargeRound()).toMatchObject({ charged: 2 });
    expect(records.size).toBe(2);
  });

  it("shows the plan, its price and cap in Settings, and the spend against the cap on the dashboard", async () => {
    const settings = await settingsLoader({ request: await adminRequest("/app/settings", { shop: TEST_SHOP }), params: {}, context: {} } as LoaderFunctionArgs);
    const html = renderPage(SettingsPage, "/app/settings", JSON.parse(JSON.stringify(settings)));
    expect(html).toContain("Plan: Nudge SMS · test charges");
    expect(html).toContain("0.02 USD per SMS segment");
    expect(html).toMatch(/Spending cap: \$100\.00 per 30 days/);
    const dashboard = await dashboardLoader({ request: await adminRequest("/app", { shop: TEST_SHOP }), params: {}, context: {} } as LoaderFunctionArgs);
    expect(renderPage(Dashboard, "/app", JSON.parse(JSON.stringify(dashboard)))).toMatch(/Text spend this period.*of \$100\.00/s);
  });

  it("lets held texts go when the billing period renews", async () => {
    const prisma = (await database()).prisma;
    const periodEnd = new Date(clock.now().getTime() - 86_400_000);
    await prisma.billingPlan.update({ where: { shop: TEST_SHOP }, data: { spendingLimitAt: new Date(periodEnd.getTime() - 3_600_000), currentPeriodEnd: periodEnd } });
    const [shopper] = await seedDueWelcomes(prisma, clock.now(), 1, "715");
    await prisma.scheduledMessage.updateMany({ where: { shopperId: shopper!.id }, data: { reason: "spending_limit", dueAt: new Date(clock.now().getTime() + 600_000) } });
    await chargeRound();
    const plan = await prisma.billingPlan.findUniqueOrThrow({ where: { shop: TEST_SHOP } });
    expect(plan.spendingLimitAt).toBeNull();
    expect(plan.currentPeriodEnd).toEqual(new Date(periodEnd.getTime() + 30 * 86_400_000));
    expect((await prisma.scheduledMessage.findFirstOrThrow({ where: { shopperId: shopper!.id } })).dueAt).toEqual(clock.now());
    expect(await dispatch()).toMatchObject({ sent: 1 });
  });

  it("holds every text of a shop whose plan was cancelled", async () => {
    const prisma = (await database()).prisma;
    clock.advance(120_000);
    expect((await subscriptionWebhook("CANCELLED")).status).toBe(200);
    const [shopper] = await seedDueWelcomes(prisma, clock.now(), 1, "721");
    expect(await dispatch()).toMatchObject({ deferred: 1 });
    expect(await prisma.scheduledMessage.findFirstOrThrow({ where: { shopperId: shopper!.id } })).toMatchObject({ status: "scheduled", reason: "billing_inactive" });
  });
});
