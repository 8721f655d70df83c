import { describe, expect, it, vi } from "vitest";
import { validateAdminCall } from "../support/admin-schema";

const graphql = vi.hoisted(() => vi.fn());
vi.mock("~/adapters/shopify-admin.server", () => ({ backgroundAdmin: async () => ({ ok: true, admin: { graphql } }) }));

const { shopifyConsentSync } = await import("~/adapters/shopify-consent.server");
const ok = () => new Response(JSON.stringify({ data: { customerSmsMarketingConsentUpdate: { customer: { id: "gid://shopify/Customer/42" }, userErrors: [] } } }));

describe("shopifyConsentSync", () => {
  it("sends customerSmsMarketingConsentUpdate for the customer's gid with the state and time", async () => {
    graphql.mockReset().mockResolvedValue(ok());
    await shopifyConsentSync("s.myshopify.com", "42", "UNSUBSCRIBED", new Date("2026-11-24T15:00:00Z"));
    expect(graphql).toHaveBeenCalledTimes(1);
    const [mutation, { variables }] = graphql.mock.calls[0]!;
    expect(mutation).toContain("customerSmsMarketingConsentUpdate");
    expect(variables).toEqual({
      input: { customerId: "gid://shopify/Customer/42", smsMarketingConsent: { marketingState: "UNSUBSCRIBED", consentUpdatedAt: "2026-11-24T15:00:00.000Z" } },
    });
  });

  it("sends both states in a form the Admin API schema accepts (a subscription says its opt-in level)", async () => {
    for (const state of ["SUBSCRIBED", "UNSUBSCRIBED"] as const) {
      graphql.mockReset().mockResolvedValue(ok());
      await shopifyConsentSync("s.myshopify.com", "42", state, new Date("2026-11-24T15:00:00Z"));
      const [mutation, { variables }] = graphql.mock.calls[0]!;
      expect(validateAdminCall(mutation, variables)).toEqual([]);
      expect(variables.input.smsMarketingConsent.marketingOptInLevel).toBe(state === "SUBSCRIBED" ? "SINGLE_OPT_IN" : undefined);
    }
  });

  it("retries when Shopify fails, and gives up quietly after three attempts", async () => {
    graphql.mockReset().mockRejectedValueOnce(new Error("502")).mockResolvedValueOnce(ok());
    await shopifyConsentSync("s.myshopify.com", "42", "SUBSCRIBED", new Date());
    expect(graphql).toHaveBeenCalledTimes(2);

    graphql.mockReset().mockRejectedValue(new Error("down"));
    await expect(shopifyConsentSync("s.myshopify.com", "42", "SUBSCRIBED", new Date())).resolves.toBeUndefined();
    expect(graphql).toHaveBeenCalledTimes(3);
  });
});
