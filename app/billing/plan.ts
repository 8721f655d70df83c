import { BillingInterval } from "@shopify/shopify-api";

/**
 * The operator's prices (NUDGE_PRICE_PER_SEGMENT, NUDGE_DEFAULT_CAP, NUDGE_FLAT_FEE, all in
 * `currency`, as decimal text in whole cents). Null config means billing is off (NUDGE_BILLING=off).
 * See docs/decisions/023-billing.md.
 */
export interface BillingConfig {
  pricePerSegment: string;
  defaultCap: string;
  flatFee: string | null;
  currency: string;
}

/** The plan a shop texting on the app's Twilio account approves: usage per segment, capped (plus the flat fee, if any). */
export const USAGE_PLAN = "Nudge SMS";
/** The plan of a shop texting through its own Twilio account: the flat fee alone (only when one is set). */
export const OWN_ACCOUNT_PLAN = "Nudge SMS (own Twilio)";

/** Shopify bills app subscriptions in 30-day periods (AppPricingInterval EVERY_30_DAYS). */
export const PERIOD_MS = 30 * 86_400_000;

export function billingConfigFrom(env: {
  NUDGE_BILLING: "on" | "off";
  NUDGE_PRICE_PER_SEGMENT: string;
  NUDGE_DEFAULT_CAP: string;
  NUDGE_FLAT_FEE?: string;
  NUDGE_BILLING_CURRENCY: string;
}): BillingConfig | null {
  if (env.NUDGE_BILLING === "off") return null;
  return { pricePerSegment: env.NUDGE_PRICE_PER_SEGMENT, defaultCap: env.NUDGE_DEFAULT_CAP, flatFee: env.NUDGE_FLAT_FEE ?? null, currency: env.NUDGE_BILLING_CURRENCY };
}

/** "0.02" → 2. Amounts are whole cents (env.server.ts checks at most two decimals). */
export function cents(amount: string | number): number {
  return Math.round(Number(amount) * 100);
}

/** 4 → "0.04". */
export function amountOf(centsValue: number): string {
  return (centsValue / 100).toFixed(2);
}

/** What one text costs the merchant: price × segments. */
export function chargeCents(config: BillingConfig, segments: number): number {
  return cents(config.pricePerSegment) * Math.max(1, segments);
}

/** Shown to the merchant when they approve the plan (AppUsagePricing.terms). */
export function usageTerms(config: BillingConfig): string {
  return `${config.pricePerSegment} ${config.currency} per SMS segment sent from Nudge's number`;
}

/** Whether a shop must have an active plan before it sends and before its admin works. */
export function planRequired(config: BillingConfig | null, ownTwilioAccount: boolean): boolean {
  if (!config) return false;
  return !ownTwilioAccount || config.flatFee !== null;
}

/** Whether this shop's texts are charged per segment: only those sent on the app's Twilio account. */
export function chargesUsage(config: BillingConfig | null, ownTwilioAccount: boolean): boolean {
  return config !== null && !ownTwilioAccount;
}

/** The name of the plan the shop should approve. */
export function planFor(ownTwilioAccount: boolean): string {
  return ownTwilioAccount ? OWN_ACCOUNT_PLAN : USAGE_PLAN;
}

type LineItem = { interval: BillingInterval.Usage; amount: number; currencyCode: string; terms: string } | { interval: BillingInterval.Every30Days; amount: number; currencyCode: string };

/**
 * The plans for shopifyApp({ billing }): a usage line item with the capped amount (and a
 * recurring one for the flat fee), or the flat fee alone for own-account shops. Shopify's
 * appSubscriptionCreate takes at most one line item of each kind.
 * https://shopify.dev/docs/apps/launch/billing/subscription-billing/create-usage-based-subscriptions
 */
export function billingPlans(config: BillingConfig): Record<string, { lineItems: LineItem[] }> {
  const flat: LineItem[] = config.flatFee ? [{ interval: BillingInterval.Every30Days, amount: Number(config.flatFee), currencyCode: config.currency }] : [];
  const usage: LineItem = { interval: BillingInterval.Usage, amount: Number(config.defaultCap), currencyCode: config.currency, terms: usageTerms(config) };
  return {
    [USAGE_PLAN]: { lineItems: [usage, ...flat] },
    ...(config.flatFee ? { [OWN_ACCOUNT_PLAN]: { lineItems: flat } } : {}),
  };
}
