import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { checkoutPayload } from "~/demo/shopify-payloads";
import { startFakeTwilio, type FakeTwilio } from "../mocks/twilio";
import { answerBillingPlan } from "../support/billing-standin";
import { answerNewShop, INSTALL_SCOPES, startBuiltServer, type BuiltServer } from "../support/built-server";
import { startShopifyStandin, type ShopifyStandin } from "../support/shopify-standin";

vi.setConfig({ testTimeout: 120_000, hookTimeout: 300_000 });

// Billing on a new store, met as production meets it (issue #20, ADR 023): the built server
// (`npm start`'s serve.js) with NUDGE_BILLING on, a stand-in Shopify answering the Billing API over
// HTTP, and the fake Twilio. The first admin load asks for plan approval; with the plan active each
// text is charged once with an idempotency key; once Shopify refuses for the cap, texts wait and
// the dashboard says so.
const SHOP = "billing-outfitters.myshopify.com";
const API_KEY = "billing-install-key";
const API_SECRET = "billing-install-secret-0123456789";
const START = "2026-12-07T15:00:00Z"; // 10:00 in New York
const SUBSCRIPTION = "gid://shopify/AppSubscription/7001";
const LINE_ITEM = "gid://shopify/AppSubscriptionLineItem/7001?v=1&index=1";
// Four shoppers a round, so the cart flow's 10% control group can't hold back all of them.
const phones = (round: number) => [0, 1, 2, 3].map((i) => `+1212555${round}${i}${i}${i}`);

let standin: ShopifyStandin;
let twilio: FakeTwilio;
let app: BuiltServer;
let refuse = false;
const records = new Map<string, string>(); // idempotency key -> usage record id

beforeAll(async () => {
  standin = await startShopifyStandin({ apiKey: API_KEY, apiSecret: API_SECRET, scope: INSTALL_SCOPES });
  answerNewShop(standin, { name: "Billing Outfitters", contactEmail: "help@billing-outfitters.example" });
  answerBillingPlan(standin, { subscriptionId: SUBSCRIPTION, lineItemId: LINE_ITEM, createdAt: START, currentPeriodEnd: "2027-01-06T15:00:00Z", cappedAmount: () => "50.0" });
  standin.answer("nudgeUsageRecord", (call) => {
    const key = String(call.variables.idempotencyKey);
    if (!records.has(key) && refuse) return { appUsageRecordCreate: { appUsageRecord: null, userErrors: [{ field: null, message: "Total price exceeds balance remaining" }] } };
    if (!records.has(key)) records.set(key, `gid://shopify/AppUsageRecord/${records.size + 1}`);
    return {
      appUsageRecordCreate: {
        appUsageRecord: {
          id: records.get(key),
          subscriptionLineItem: { plan: { pricingDetails: { __typename: "AppUsagePricing", balanceUsed: { amount: "1.0" }, cappedAmount: { amount: "50.0" } } } },
        },
        userErrors: [],
      },
    };
  });
  twilio = await startFakeTwilio();
  app = await startBuiltServer({
    shop: SHOP,
    apiKey: API_KEY,
    apiSecret: API_SECRET,
    start: START,
    shopifyOrigin: standin.url,
    twilioUrl: twilio.url,
    env: { NUDGE_BILLING: "on", NUDGE_PRICE_PER_SEGMENT: "0.02", NUDGE_DEFAULT_CAP: "50.00" },
  });
});

afterAll(async () => {
  await app?.stop();
  await standin?.close();
  await twilio?.close();
});

const adminLoad = () => app.adminLoad({ redirect: "manual" });

async function abandon(round: number) {
  for (const [i, phone] of phones(round).entries()) {
    expect((await app.sendWebhook("checkouts/create", checkoutPayload({ token: `billing-${round}-${i}`, createdAt: new Date(START), phone }))).status).toBe(200);
  }
}

const usageCalls = () => standin.adminCalls.filter((c) => c.operationName === "nudgeUsageRecord");
const textsTo = (round: number) => twilio.messages.filter((m) => phones(round).includes(m.to));

describe("billing on a new store, started as production runs it", () => {
  it("sends the first admin load out of the iframe to approve a usage plan with a capped amount", async () => {
    const response = await adminLoad();
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get("location")!, app.baseUrl);
    expect(location.pathname).toBe("/auth/exit-iframe");
    expect(location.searchParams.get("exitIframe")).toMatch(/confirm_recurring_application_charge/);
    const create = standin.adminCalls.find((c) => c.operationName === "AppSubscriptionCreate");
    expect(create?.variables).toMatchObject({
      name: "Nudge SMS",
      test: true,
      lineItems: [{ plan: { appUsagePricingDetails: { cappedAmount: { amount: 50, currencyCode: "USD" }, terms: expect.stringContaining("per SMS segment") } } }],
    });
  });

  it("opens the admin once Shopify reports the plan active", async () => {
    const webhook = await app.sendWebhook("app_subscriptions/update", {
      app_subscription: {
        admin_graphql_api_id: SUBSCRIPTION,
        name: "Nudge SMS",
        status: "ACTIVE",
        admin_graphql_api_shop_id: "gid://shopify/Shop/7001",
        created_at: START,
        updated_at: START,
        currency: "USD",
        capped_amount: "50.0",
      },
    });
    expect(webhook.status).toBe(200);
    // Acknowledged first, recorded after (ADR 024): the admin opens once the inbox is drained.
    await app.waitFor("the admin to open", async () => (await adminLoad()).status === 200, 15_000);
  });

  it("charges each text of a texted abandoner exactly once, with an idempotency key", async () => {
    await abandon(1);
    await app.waitFor("a cart text", () => textsTo(1).length > 0);
    await app.waitFor("a usage record for every text", () => records.size === textsTo(1).length && records.size > 0);
    const keys = usageCalls().map((c) => String(c.variables.idempotencyKey));
    expect(keys.every((k) => /^nudge-sms-[0-9a-f-]{36}$/.test(k))).toBe(true);
    expect(new Set(keys).size).toBe(textsTo(1).length);
    expect(usageCalls().every((c) => c.variables.subscriptionLineItemId === LINE_ITEM)).toBe(true);
  });

  it("once Shopify refuses a charge for the cap, holds the next texts and says so on the dashboard", async () => {
    refuse = true;
    await abandon(2);
    await app.waitFor("a refused charge", () => usageCalls().some((c) => !records.has(String(c.variables.idempotencyKey))));
    const dashboard = await app.waitFor("the spending limit banner", async () => {
      const html = await (await adminLoad()).text();
      return html.includes("Spending limit reached: texts are waiting") ? html : null;
    });
    expect(dashboard).toContain("Raise the cap");
    const before = twilio.messages.length;
    await abandon(3);
    // Well past the 20-minute cart delay (2 s at this time scale): nothing went out.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect(textsTo(3)).toEqual([]);
    expect(twilio.messages.length).toBe(before);
    expect(app.output()).toMatch(/"deferred":\s*[1-9]/);
  });
});
