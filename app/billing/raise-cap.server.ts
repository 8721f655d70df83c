import { z } from "zod";
import { database } from "../db.server";
import { amountOf, cents } from "./plan";
import { readPlan } from "./plan-state.server";

const RaiseCapFormSchema = z.object({ cap: z.string().regex(/^\d{1,7}(\.\d{1,2})?$/, "Enter an amount such as 100 or 100.00") });

/** What raising the cap needs of `authenticate.admin(request)`: the library's billing helper. */
export interface RaiseCapContext {
  session: { shop: string };
  billing: { updateUsageCappedAmount(options: { subscriptionLineItemId: string; cappedAmount: { amount: number; currencyCode: string } }): Promise<never> };
}

export type RaiseCapRefusal = { ok: false; error: string };

/**
 * Asks Shopify for a higher cap on the shop's usage line item (appSubscriptionLineItemUpdate
 * through the library's billing.updateUsageCappedAmount), which throws the redirect to Shopify's
 * page where the merchant approves it (https://shopify.dev/docs/apps/launch/billing/subscription-billing/update-max-charge).
 * Shopify's app_subscriptions/update then records the new cap, and held texts go again.
 * Returns a refusal only for a cap that is no raise, or a plan with no usage line item yet.
 */
export async function raiseSpendingCap(context: RaiseCapContext, form: unknown): Promise<RaiseCapRefusal> {
  const parsed = RaiseCapFormSchema.safeParse(form);
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]!.message };
  const { sql } = await database();
  const plan = await readPlan(sql, context.session.shop);
  if (!plan?.line_item_id || plan.status !== "ACTIVE") return { ok: false, error: "The plan has no spending cap to raise yet." };
  const wanted = cents(parsed.data.cap);
  if (plan.capped_amount !== null && wanted <= cents(plan.capped_amount)) return { ok: false, error: `Choose more than the current cap of ${plan.capped_amount} ${plan.currency}.` };
  return context.billing.updateUsageCappedAmount({ subscriptionLineItemId: plan.line_item_id, cappedAmount: { amount: Number(amountOf(wanted)), currencyCode: plan.currency } });
}
