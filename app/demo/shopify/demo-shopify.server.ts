import { bulkCodeAnswers } from "./bulk-codes";
import { startShopifyStandin, type StandinAdminCall, type StandinOptions } from "./standin.server";
import { chargeUsage, openUsageLedger, type UsageLedger } from "./usage-ledger";

/**
 * `npm run demo`'s Shopify: the stand-in Shopify (standin.server.ts) answering the demo shop's
 * Admin API calls the way Shopify answers a development store with nothing in it yet. The app
 * reaches it through SHOPIFY_API_ORIGIN like any Shopify, so production code has no demo
 * branch: discounts and consent changes are taken, the web pixel is created, the order history
 * is empty, and the plan the shop needs (docs/decisions/023-billing.md) is already approved, with
 * its usage line item charged per text up to the capped amount.
 */
export interface DemoShopifyOptions {
  apiKey: string;
  apiSecret: string;
  scope: string;
  shop: string;
  /** The offline token the demo seeded for the shop (non-expiring: the app migrates it, ADR 013). */
  offlineToken: string;
  details: { name: string; currency: string; timezone: string; contactEmail: string; country: string };
  plan: { name: string; cappedAmount: string; currency: string; terms: string; currentPeriodEnd: Date };
  /** The tests' Admin-schema check of each call (the demo runs without it). */
  validate?: StandinOptions["validate"];
}

/** The approved subscription, in the shape app/billing records (seeded so texts are not held for billing). */
export interface DemoSubscription {
  id: string;
  name: string;
  status: "ACTIVE";
  test: true;
  currentPeriodEnd: string;
  lineItemId: string;
  cappedAmount: string;
  balanceUsed: string;
  currency: string;
}

export interface DemoShopify {
  url: string;
  subscription: DemoSubscription;
  close(): Promise<void>;
}

const money = (cents: number, currencyCode: string) => ({ amount: (cents / 100).toFixed(2), currencyCode });

export async function startDemoShopify(options: DemoShopifyOptions): Promise<DemoShopify> {
  const standin = await startShopifyStandin({ apiKey: options.apiKey, apiSecret: options.apiSecret, scope: options.scope, validate: options.validate });
  standin.adoptOfflineToken(options.shop, options.offlineToken);
  const { plan, details } = options;
  const subscription: DemoSubscription = {
    id: "gid://shopify/AppSubscription/1001",
    name: plan.name,
    status: "ACTIVE",
    test: true,
    currentPeriodEnd: plan.currentPeriodEnd.toISOString(),
    lineItemId: "gid://shopify/AppSubscriptionLineItem/1001?v=1&index=0",
    cappedAmount: plan.cappedAmount,
    balanceUsed: "0.00",
    currency: plan.currency,
  };
  let ledger: UsageLedger = openUsageLedger(Math.round(Number(plan.cappedAmount) * 100));
  let pixel: { id: string; settings: string } | null = null;
  let nextId = 1;
  const gid = (type: string) => `gid://shopify/${type}/${nextId++}`;

  const usagePricing = () => ({ balanceUsed: money(ledger.usedCents, plan.currency), cappedAmount: money(ledger.cappedCents, plan.currency), terms: plan.terms });
  const activeSubscription = () => ({
    id: subscription.id,
    name: subscription.name,
    status: subscription.status,
    test: subscription.test,
    trialDays: 0,
    createdAt: new Date(plan.currentPeriodEnd.getTime() - 30 * 86_400_000).toISOString(),
    currentPeriodEnd: subscription.currentPeriodEnd,
    returnUrl: `https://${options.shop}/admin/apps`,
    lineItems: [{ id: subscription.lineItemId, plan: { pricingDetails: usagePricing() } }],
  });

  const answers: Record<string, (call: StandinAdminCall) => unknown> = {
    nudgeShopDetails: () => ({
      shop: { name: details.name, currencyCode: details.currency, ianaTimezone: details.timezone, contactEmail: details.contactEmail, shopAddress: { countryCodeV2: details.country } },
    }),
    nudgeDiscount: () => ({ discountCodeBasicCreate: { codeDiscountNode: { id: gid("DiscountCodeNode") }, userErrors: [] } }),
    // Pooled codes (ADR 025): the bulk creation is done by the time it is asked about.
    ...bulkCodeAnswers(() => false),
    nudgeSmsConsent: (call) => ({ customerSmsMarketingConsentUpdate: { customer: { id: (call.variables.input as { customerId: string }).customerId }, userErrors: [] } }),
    nudgeWebPixel: () => ({ webPixel: pixel }),
    nudgeWebPixelCreate: (call) => {
      if (pixel) return { webPixelCreate: { webPixel: null, userErrors: [{ field: ["webPixel"], code: "TAKEN", message: "Web pixel is taken." }] } };
      pixel = { id: gid("WebPixel"), settings: String((call.variables.webPixel as { settings: string }).settings) };
      return { webPixelCreate: { webPixel: pixel, userErrors: [] } };
    },
    nudgeWebPixelUpdate: (call) => {
      if (!pixel) return { webPixelUpdate: { webPixel: null, userErrors: [{ field: ["id"], code: "NOT_FOUND", message: "Web pixel not found." }] } };
      pixel = { id: pixel.id, settings: String((call.variables.webPixel as { settings: string }).settings) };
      return { webPixelUpdate: { webPixel: pixel, userErrors: [] } };
    },
    nudgeWebPixelDelete: () => {
      const deleted = pixel?.id ?? null;
      pixel = null;
      return { webPixelDelete: { deletedWebPixelId: deleted, userErrors: deleted ? [] : [{ field: ["id"], code: "NOT_FOUND", message: "Web pixel not found." }] } };
    },
    // A new store: no order history to import.
    nudgeOrderHistoryCount: () => ({ ordersCount: { count: 0, precision: "EXACT" } }),
    nudgeOrderHistoryExport: () => ({ bulkOperationRunQuery: { bulkOperation: { id: gid("BulkOperation"), status: "CREATED" }, userErrors: [] } }),
    nudgeOrderHistoryExportStatus: (call) => ({ bulkOperation: { id: String(call.variables.id), status: "COMPLETED", errorCode: null, objectCount: "0", url: null, partialDataUrl: null } }),
    // No customer segments made in Shopify's admin yet.
    nudgeSegments: () => ({ segments: { nodes: [] } }),
    nudgeSegment: () => ({ segment: null }),
    nudgeSegmentMembers: () => ({ customerSegmentMembers: { totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } } }),
    nudgeBillingShopPlan: () => ({ shop: { plan: { partnerDevelopment: true } } }),
    nudgeActiveSubscriptions: () => ({ currentAppInstallation: { activeSubscriptions: [activeSubscription()] } }),
    // The library's billing.require / billing.check (@shopify/shopify-api lib/billing/check).
    appSubscription: () => ({
      currentAppInstallation: { activeSubscriptions: [activeSubscription()], oneTimePurchases: { edges: [], pageInfo: { hasNextPage: false, endCursor: null } } },
    }),
    nudgeUsageRecord: (call) => {
      const price = call.variables.price as { amount: string | number };
      const key = typeof call.variables.idempotencyKey === "string" ? call.variables.idempotencyKey : null;
      const answer = chargeUsage(ledger, { cents: Math.round(Number(price.amount) * 100), idempotencyKey: key, nextId: gid("AppUsageRecord") });
      ledger = answer.ledger;
      if (!answer.ok) return { appUsageRecordCreate: { appUsageRecord: null, userErrors: [{ field: null, message: answer.message }] } };
      return { appUsageRecordCreate: { appUsageRecord: { id: answer.recordId, subscriptionLineItem: { plan: { pricingDetails: usagePricing() } } }, userErrors: [] } };
    },
  };
  for (const [operation, respond] of Object.entries(answers)) standin.answer(operation, respond);

  return { url: standin.url, subscription, close: () => standin.close() };
}
