import { isOfflineDemoShop } from "../demo/guard.server";
import { log } from "../lib/log.server";
import type { NudgeSmsConsentMutation, NudgeSmsConsentMutationVariables } from "../types/admin.generated";
import type { CustomerSmsMarketingState } from "../types/admin.types";
import { backgroundAdmin } from "./shopify-admin.server";

/** The two consent states we report; the schema's enum has them (a rename fails typecheck). */
export type SmsMarketingState = Extract<CustomerSmsMarketingState, "SUBSCRIBED" | "UNSUBSCRIBED">;

export interface ConsentSync {
  (shop: string, customerId: string, state: SmsMarketingState, at: Date): Promise<void>;
}

const MUTATION = `#graphql
  mutation nudgeSmsConsent($input: CustomerSmsMarketingConsentUpdateInput!) {
    customerSmsMarketingConsentUpdate(input: $input) {
      customer { id }
      userErrors { field message }
    }
  }`;

const ATTEMPTS = 3;

/**
 * Tells Shopify about an SMS consent change (customerSmsMarketingConsentUpdate, scope
 * write_customers) with the shop's offline token, retrying with backoff. It never throws:
 * our own record is what stops texts, so callers fire it after committing and move on.
 */
export const shopifyConsentSync: ConsentSync = async (shop, customerId, state, at) => {
  if (isOfflineDemoShop(shop)) return; // no Shopify behind the offline demo's shop
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    if (await pushConsent(shop, customerId, state, at, attempt === ATTEMPTS)) return;
    await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** (attempt - 1)));
  }
};

/** One attempt; true when Shopify took it or rejected it for good (retrying won't help). */
async function pushConsent(shop: string, customerId: string, state: SmsMarketingState, at: Date, last: boolean): Promise<boolean> {
  try {
    const result = await backgroundAdmin(shop);
    if (!result.ok) {
      if (last || result.reason !== "unavailable") log.warn("could not sync SMS consent to Shopify", { shop, reason: result.reason });
      return result.reason !== "unavailable"; // no token to retry with
    }
    // Typed by codegen from Admin API 2026-04 (app/types): a renamed input field fails typecheck.
    const variables: NudgeSmsConsentMutationVariables = {
      input: {
        customerId: `gid://shopify/Customer/${customerId}`,
        smsMarketingConsent: {
          marketingState: state,
          consentUpdatedAt: at.toISOString(),
          ...(state === "SUBSCRIBED" ? { marketingOptInLevel: "SINGLE_OPT_IN" as const } : {}),
        },
      },
    };
    const response = await result.admin.graphql(MUTATION, { variables });
    const body = (await response.json()) as { data?: NudgeSmsConsentMutation };
    const errors = body.data?.customerSmsMarketingConsentUpdate?.userErrors ?? [];
    if (errors.length > 0) log.warn("Shopify rejected an SMS consent update", { shop, errors: errors.map((e) => e.message) });
    return true;
  } catch (error) {
    if (last) log.warn("could not sync SMS consent to Shopify", { shop, error });
    return false;
  }
}
