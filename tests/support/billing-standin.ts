import type { ShopifyStandin } from "./shopify-standin";

/** The usage-plan subscription the stand-in Shopify creates and then reports as active. */
export interface StandinPlan {
  subscriptionId: string;
  lineItemId: string;
  /** When Shopify created the subscription (ISO). */
  createdAt: string;
  /** The end of the active subscription's billing period (ISO). */
  currentPeriodEnd: string;
  /** The cap on usage charges, read at each answer, so a test may raise it. */
  cappedAmount: () => string;
}

/**
 * The stand-in Shopify's Billing API answers on the way to an approved usage plan: a development
 * store's plan, no subscription yet for the library's billing.require, the subscription it creates
 * (pending, with an approval URL), and that subscription once active. Usage records are the
 * caller's: how they count or refuse is what a billing test is about.
 */
export function answerBillingPlan(standin: ShopifyStandin, plan: StandinPlan): void {
  // The numeric id Shopify puts in the approval page's path.
  const chargeId = plan.subscriptionId.split("/").pop();
  standin.answer("nudgeBillingShopPlan", () => ({ shop: { plan: { partnerDevelopment: true } } }));
  standin.answer("appSubscription", () => ({ currentAppInstallation: { activeSubscriptions: [], oneTimePurchases: { edges: [], pageInfo: { hasNextPage: false, endCursor: null } } } }));
  standin.answer("AppSubscriptionCreate", (call) => ({
    appSubscriptionCreate: {
      appSubscription: {
        id: plan.subscriptionId,
        name: call.variables.name,
        test: call.variables.test,
        status: "PENDING",
        trialDays: 0,
        createdAt: plan.createdAt,
        currentPeriodEnd: null,
        returnUrl: call.variables.returnUrl,
        lineItems: [],
      },
      confirmationUrl: `https://${call.shop}/admin/charges/${chargeId}/confirm_recurring_application_charge?signature=standin`,
      userErrors: [],
    },
  }));
  standin.answer("nudgeActiveSubscriptions", () => ({
    currentAppInstallation: {
      activeSubscriptions: [
        {
          id: plan.subscriptionId,
          name: "Nudge SMS",
          status: "ACTIVE",
          test: true,
          currentPeriodEnd: plan.currentPeriodEnd,
          lineItems: [
            {
              id: plan.lineItemId,
              plan: { pricingDetails: { __typename: "AppUsagePricing", balanceUsed: { amount: "0.0", currencyCode: "USD" }, cappedAmount: { amount: plan.cappedAmount(), currencyCode: "USD" } } },
            },
          ],
        },
      ],
    },
  }));
}
