import { log } from "../lib/log.server";
import type { NudgeSmsConsentMutation, NudgeSmsConsentMutationVariables } from "../types/admin.generated";
import type { CustomerMarketingOptInLevel, CustomerSmsMarketingState } from "../types/admin.types";
import { backgroundAdmin } from "./shopify-admin.server";
import { adminUnavailable, callAdminOnce, callFailureMessage } from "./shopify-attempt.server";

/** The two consent states we report; the schema's enum has them (a rename fails typecheck). */
export type SmsMarketingState = Extract<CustomerSmsMarketingState, "SUBSCRIBED" | "UNSUBSCRIBED">;
/**
 * How a subscription was collected (M3AAWG levels, as Shopify's CustomerMarketingOptInLevel
 * defines them): SINGLE_OPT_IN when the shopper was texted right away, CONFIRMED_OPT_IN when
 * they first had to confirm (our double opt-in's "Y").
 */
export type OptInLevel = Extract<CustomerMarketingOptInLevel, "SINGLE_OPT_IN" | "CONFIRMED_OPT_IN">;

/** One consent change for Shopify's customer record. */
interface ConsentPush {
  shop: string;
  customerId: string;
  state: SmsMarketingState;
  optInLevel: OptInLevel | null;
  consentUpdatedAt: Date;
}

/**
 * What became of one attempt: Shopify took it, or it must be tried again later (`backoff`),
 * once the merchant has reopened the app (`after_reauth`), or never (Shopify refused it).
 */
export type ConsentPushResult = { ok: true } | { ok: false; retry: "backoff" | "after_reauth" | "never"; message: string };

export type ConsentPusher = (push: ConsentPush) => Promise<ConsentPushResult>;

const MUTATION = `#graphql
  mutation nudgeSmsConsent($input: CustomerSmsMarketingConsentUpdateInput!) {
    customerSmsMarketingConsentUpdate(input: $input) {
      customer { id }
      userErrors { field message }
    }
  }`;

/**
 * Tells Shopify about one SMS consent change (customerSmsMarketingConsentUpdate, scope
 * write_customers) with the shop's offline token. One attempt, whose outcome is a value: the
 * consent_sync outbox (app/consent-sync) decides when to try again (shopify-attempt.server.ts).
 */
export const shopifyConsentPusher: ConsentPusher = async (push) => {
  const result = await backgroundAdmin(push.shop);
  if (!result.ok) return adminUnavailable(result);
  // Typed by codegen from Admin API 2026-04 (app/types): a renamed input field fails typecheck.
  const variables: NudgeSmsConsentMutationVariables = {
    input: {
      customerId: `gid://shopify/Customer/${push.customerId}`,
      smsMarketingConsent: {
        marketingState: push.state,
        // Shopify keeps the record with the latest consentUpdatedAt, so a late retry of an older
        // change can't overwrite a newer one.
        consentUpdatedAt: push.consentUpdatedAt.toISOString(),
        ...(push.state === "SUBSCRIBED" && push.optInLevel ? { marketingOptInLevel: push.optInLevel } : {}),
      },
    },
  };
  try {
    const response = await callAdminOnce(result.admin, MUTATION, variables);
    const body = (await response.json()) as { data?: NudgeSmsConsentMutation };
    const errors = body.data?.customerSmsMarketingConsentUpdate?.userErrors ?? [];
    if (errors.length === 0) return { ok: true };
    log.warn("Shopify rejected an SMS consent update", { shop: push.shop, errors: errors.map((e) => e.message) });
    return { ok: false, retry: "never", message: errors.map((e) => e.message).join("; ") };
  } catch (error) {
    log.warn("could not sync SMS consent to Shopify; will retry", { shop: push.shop, error });
    return { ok: false, retry: "backoff", message: callFailureMessage(error) };
  }
};
