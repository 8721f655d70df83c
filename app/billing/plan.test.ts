import { BillingInterval } from "@shopify/shopify-api";
import { describe, expect, it } from "vitest";
import { billingConfigFrom, billingPlans, chargeCents, chargesUsage, OWN_ACCOUNT_PLAN, planRequired, USAGE_PLAN, type BillingConfig } from "./plan";

const config: BillingConfig = { pricePerSegment: "0.02", defaultCap: "50.00", flatFee: null, currency: "USD" };

describe("billing plan", () => {
  it("is off when NUDGE_BILLING is off", () => {
    expect(billingConfigFrom({ NUDGE_BILLING: "off", NUDGE_PRICE_PER_SEGMENT: "0.02", NUDGE_DEFAULT_CAP: "50", NUDGE_BILLING_CURRENCY: "USD" })).toBeNull();
    expect(planRequired(null, false)).toBe(false);
    expect(chargesUsage(null, false)).toBe(false);
  });

  it("charges price × segments in whole cents, at least one segment", () => {
    expect(chargeCents(config, 3)).toBe(6);
    expect(chargeCents({ ...config, pricePerSegment: "0.07" }, 3)).toBe(21); // 0.07 × 3 is 0.21000000000000002 in floats
    expect(chargeCents(config, 0)).toBe(2);
  });

  it("charges no per-text fee to a shop on its own Twilio account, which needs a plan only for a flat fee", () => {
    expect(chargesUsage(config, true)).toBe(false);
    expect(planRequired(config, true)).toBe(false);
    expect(planRequired({ ...config, flatFee: "9.99" }, true)).toBe(true);
    expect(planRequired(config, false)).toBe(true);
  });

  it("asks Shopify for a usage line item with the default cap and terms, and the flat fee beside it", () => {
    expect(billingPlans(config)).toEqual({
      [USAGE_PLAN]: { lineItems: [{ interval: BillingInterval.Usage, amount: 50, currencyCode: "USD", terms: "0.02 USD per SMS segment sent from Nudge's number" }] },
    });
    const withFee = billingPlans({ ...config, flatFee: "9.99" });
    expect(withFee[USAGE_PLAN]!.lineItems).toContainEqual({ interval: BillingInterval.Every30Days, amount: 9.99, currencyCode: "USD" });
    expect(withFee[OWN_ACCOUNT_PLAN]).toEqual({ lineItems: [{ interval: BillingInterval.Every30Days, amount: 9.99, currencyCode: "USD" }] });
  });
});
