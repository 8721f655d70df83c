import { log } from "../lib/log.server";
import { unauthenticated } from "../shopify.server";

export type SmsMarketingState = "SUBSCRIBED" | "UNSUBSCRIBED";

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

/**
 * Tells Shopify about an SMS consent change (customerSmsMarketingConsentUpdate, scope
 * write_customers) with the shop's offline token. Failures are logged, not thrown: our own
 * record is what stops texts; Shopify's copy is kept in step on a best-effort basis.
 */
export const shopifyConsentSync: ConsentSync = async (shop, customerId, state, at) => {
  try {
    const { admin } = await unauthenticated.admin(shop);
    const response = await admin.graphql(MUTATION, {
      variables: {
        input: {
          customerId: `gid://shopify/Customer/${customerId}`,
          smsMarketingConsent: {
            marketingState: state,
            consentUpdatedAt: at.toISOString(),
            ...(state === "SUBSCRIBED" ? { marketingOptInLevel: "SINGLE_OPT_IN" } : {}),
          },
        },
      },
    });
    const body = (await response.json()) as { data?: { customerSmsMarketingConsentUpdate?: { userErrors?: { message: string }[] } } };
    const errors = body.data?.customerSmsMarketingConsentUpdate?.userErrors ?? [];
    if (errors.length > 0) log.warn("Shopify rejected an SMS consent update", { shop, errors: errors.map((e) => e.message) });
  } catch (error) {
    log.warn("could not sync SMS consent to Shopify", { shop, error });
  }
};
