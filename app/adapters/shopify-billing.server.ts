import { log } from "../lib/log.server";
import type { NudgeActiveSubscriptionsQuery, NudgeBillingShopPlanQuery, NudgeUsageRecordMutation, NudgeUsageRecordMutationVariables } from "../types/admin.generated";
import { backgroundAdmin, type AdminApiClient } from "./shopify-admin.server";
import { adminUnavailable, callAdminOnce, callFailureMessage } from "./shopify-attempt.server";

/** One usage charge for Shopify (appUsageRecordCreate). */
interface UsageChargeRequest {
  shop: string;
  lineItemId: string;
  amount: string;
  currency: string;
  description: string;
  idempotencyKey: string;
}

/** The usage line item's balance after a charge, when Shopify said it. */
interface UsageBalance {
  balanceUsed: string;
  cappedAmount: string;
}

/**
 * What became of one attempt: taken (Shopify's record id), refused for the spending cap
 * (`cap`: it waits for a higher cap or the next period), or to be tried again (`backoff`, after
 * the merchant reopens the app, or never: Shopify refused it for another reason).
 */
export type UsageChargeResult = { ok: true; recordId: string; balance: UsageBalance | null } | { ok: false; retry: "backoff" | "after_reauth" | "never" | "cap"; message: string };

export type UsageCharger = (request: UsageChargeRequest) => Promise<UsageChargeResult>;

// The library's billing.createUsageRecord (shopify-api 15) doesn't declare $idempotencyKey in
// its mutation, so the key never reaches Shopify; this document does (ADR 023).
const USAGE_RECORD = `#graphql
  mutation nudgeUsageRecord($subscriptionLineItemId: ID!, $price: MoneyInput!, $description: String!, $idempotencyKey: String) {
    appUsageRecordCreate(subscriptionLineItemId: $subscriptionLineItemId, price: $price, description: $description, idempotencyKey: $idempotencyKey) {
      appUsageRecord {
        id
        subscriptionLineItem {
          plan {
            pricingDetails {
              ... on AppUsagePricing {
                balanceUsed { amount }
                cappedAmount { amount }
              }
            }
          }
        }
      }
      userErrors { field message }
    }
  }`;

const ACTIVE_SUBSCRIPTIONS = `#graphql
  query nudgeActiveSubscriptions {
    currentAppInstallation {
      activeSubscriptions {
        id
        name
        status
        test
        currentPeriodEnd
        lineItems {
          id
          plan {
            pricingDetails {
              ... on AppUsagePricing {
                balanceUsed { amount currencyCode }
                cappedAmount { amount currencyCode }
              }
            }
          }
        }
      }
    }
  }`;

const SHOP_PLAN = `#graphql
  query nudgeBillingShopPlan {
    shop { plan { partnerDevelopment } }
  }`;

/**
 * Shopify's answer when a charge would pass the capped amount: "Total price exceeds balance
 * remaining" (https://shopify.dev/docs/api/admin-graphql/latest/mutations/appUsageRecordCreate).
 */
const CAP_REFUSAL = /exceeds balance remaining/i;

/**
 * Charges one text (appUsageRecordCreate) with the shop's offline token. One attempt, its
 * outcome a value: the usage_charge outbox decides when to try again. The idempotency key makes
 * a repeat of a charge Shopify already took return that charge instead of a second one.
 */
export const shopifyUsageCharger: UsageCharger = async (request) => {
  const result = await backgroundAdmin(request.shop);
  if (!result.ok) return adminUnavailable(result);
  const variables: NudgeUsageRecordMutationVariables = {
    subscriptionLineItemId: request.lineItemId,
    price: { amount: request.amount, currencyCode: request.currency as NudgeUsageRecordMutationVariables["price"]["currencyCode"] },
    description: request.description,
    idempotencyKey: request.idempotencyKey,
  };
  try {
    const response = await callAdminOnce(result.admin, USAGE_RECORD, variables);
    const body = (await response.json()) as { data?: NudgeUsageRecordMutation; errors?: unknown };
    const payload = body.data?.appUsageRecordCreate;
    const errors = payload?.userErrors ?? [];
    const record = payload?.appUsageRecord;
    if (errors.length === 0 && record) {
      const pricing = record.subscriptionLineItem.plan.pricingDetails;
      const balance =
        "balanceUsed" in pricing && pricing.balanceUsed && pricing.cappedAmount ? { balanceUsed: String(pricing.balanceUsed.amount), cappedAmount: String(pricing.cappedAmount.amount) } : null;
      return { ok: true, recordId: record.id, balance };
    }
    const message = errors.map((e) => e.message).join("; ") || `unexpected answer: ${JSON.stringify(body).slice(0, 300)}`;
    if (errors.some((e) => CAP_REFUSAL.test(e.message))) return { ok: false, retry: "cap", message };
    log.warn("Shopify refused a usage charge", { shop: request.shop, errors: errors.map((e) => e.message) });
    return { ok: false, retry: errors.length > 0 ? "never" : "backoff", message };
  } catch (error) {
    log.warn("could not charge a text to Shopify; will retry", { shop: request.shop, error });
    return { ok: false, retry: "backoff", message: callFailureMessage(error) };
  }
};

/** The shop's subscription as Shopify holds it now, in the shape plan-state.server.ts records. */
export interface ShopifySubscription {
  id: string;
  name: string;
  status: string;
  test: boolean;
  currentPeriodEnd: string | null;
  lineItemId: string | null;
  cappedAmount: string | null;
  balanceUsed: string | null;
  currency: string | null;
}

type ActiveSubscription = NudgeActiveSubscriptionsQuery["currentAppInstallation"]["activeSubscriptions"][number];

/** Our shape of an AppSubscription (Admin API, or the library's billing.require answer): its usage line, if any. */
export function readSubscription(
  sub: Pick<ActiveSubscription, "id" | "name" | "status" | "test" | "currentPeriodEnd"> & { lineItems: readonly { id: string; plan: { pricingDetails: unknown } }[] },
): ShopifySubscription {
  let usage: { id: string; capped: { amount: unknown; currencyCode?: unknown }; used: { amount: unknown } } | null = null;
  for (const item of sub.lineItems) {
    const details = item.plan.pricingDetails as { cappedAmount?: { amount: unknown; currencyCode?: unknown }; balanceUsed?: { amount: unknown } };
    if (details.cappedAmount && details.balanceUsed) usage = { id: item.id, capped: details.cappedAmount, used: details.balanceUsed };
  }
  return {
    id: sub.id,
    name: sub.name,
    status: String(sub.status),
    test: sub.test,
    currentPeriodEnd: sub.currentPeriodEnd ? String(sub.currentPeriodEnd) : null,
    lineItemId: usage?.id ?? null,
    cappedAmount: usage ? String(usage.capped.amount) : null,
    balanceUsed: usage ? String(usage.used.amount) : null,
    currency: usage?.capped.currencyCode ? String(usage.capped.currencyCode) : null,
  };
}

/** The shop's active subscription from the background (the charge worker's reconciliation), or null. */
export async function fetchActiveSubscription(shop: string): Promise<{ ok: true; subscription: ShopifySubscription | null } | { ok: false; message: string }> {
  const result = await backgroundAdmin(shop);
  if (!result.ok) return { ok: false, message: `${result.reason}: ${result.message}` };
  try {
    const response = await callAdminOnce(result.admin, ACTIVE_SUBSCRIPTIONS);
    const body = (await response.json()) as { data?: NudgeActiveSubscriptionsQuery };
    const subs = body.data?.currentAppInstallation.activeSubscriptions;
    if (!subs) return { ok: false, message: "unexpected answer to currentAppInstallation" };
    const active = subs.find((s) => s.status === "ACTIVE") ?? subs[0];
    return { ok: true, subscription: active ? readSubscription(active) : null };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Whether the shop is a development store, whose charges must be test charges
 * (Shop.plan.partnerDevelopment; https://shopify.dev/docs/apps/launch/billing#test-charges).
 */
export async function isDevelopmentStore(admin: AdminApiClient): Promise<boolean> {
  const response = await admin.graphql(SHOP_PLAN);
  const body = (await response.json()) as { data?: NudgeBillingShopPlanQuery };
  return body.data?.shop.plan.partnerDevelopment ?? false;
}
