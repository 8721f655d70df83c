import { describe, expect, it, vi } from "vitest";
import { validateAdminCall } from "../support/admin-schema";

const graphql = vi.hoisted(() => vi.fn());
const admin = vi.hoisted(() => ({ result: null as unknown }));
vi.mock("~/adapters/shopify-admin.server", () => ({ backgroundAdmin: async () => admin.result }));

const { shopifyConsentPusher } = await import("~/adapters/shopify-consent.server");
const ok = () => new Response(JSON.stringify({ data: { customerSmsMarketingConsentUpdate: { customer: { id: "gid://shopify/Customer/42" }, userErrors: [] } } }));
const at = new Date("2026-11-24T15:00:00Z");
const push = (state: "SUBSCRIBED" | "UNSUBSCRIBED", optInLevel: "SINGLE_OPT_IN" | "CONFIRMED_OPT_IN" | null = null) =>
  shopifyConsentPusher({ shop: "s.myshopify.com", customerId: "42", state, optInLevel, consentUpdatedAt: at });

describe("shopifyConsentPusher", () => {
  it("sends customerSmsMarketingConsentUpdate for the customer's gid with the state and time, letting the client retry a passing 429/503", async () => {
    admin.result = { ok: true, admin: { graphql } };
    graphql.mockReset().mockResolvedValue(ok());
    expect(await push("UNSUBSCRIBED")).toEqual({ ok: true });
    expect(graphql).toHaveBeenCalledTimes(1);
    const [mutation, options] = graphql.mock.calls[0]!;
    expect(mutation).toContain("customerSmsMarketingConsentUpdate");
    expect(options).toMatchObject({
      tries: 3,
      variables: { input: { customerId: "gid://shopify/Customer/42", smsMarketingConsent: { marketingState: "UNSUBSCRIBED", consentUpdatedAt: "2026-11-24T15:00:00.000Z" } } },
    });
  });

  it("sends the real opt-in level of a subscription, in a form the Admin API schema accepts", async () => {
    admin.result = { ok: true, admin: { graphql } };
    for (const level of ["SINGLE_OPT_IN", "CONFIRMED_OPT_IN"] as const) {
      graphql.mockReset().mockResolvedValue(ok());
      await push("SUBSCRIBED", level);
      const [mutation, { variables }] = graphql.mock.calls[0]!;
      expect(validateAdminCall(mutation, variables)).toEqual([]);
      expect(variables.input.smsMarketingConsent).toMatchObject({ marketingState: "SUBSCRIBED", marketingOptInLevel: level });
    }
  });

  it("answers with a value, never a throw: retry later on a failed call, never on Shopify's refusal, after re-auth when the shop must re-authorise", async () => {
    admin.result = { ok: true, admin: { graphql } };
    graphql.mockReset().mockRejectedValue(new Error("502 Bad Gateway"));
    expect(await push("UNSUBSCRIBED")).toEqual({ ok: false, retry: "backoff", message: "502 Bad Gateway" });

    graphql
      .mockReset()
      .mockResolvedValue(new Response(JSON.stringify({ data: { customerSmsMarketingConsentUpdate: { customer: null, userErrors: [{ field: ["customerId"], message: "Customer not found" }] } } })));
    expect(await push("UNSUBSCRIBED")).toEqual({ ok: false, retry: "never", message: "Customer not found" });

    admin.result = { ok: false, reason: "needs_reauth", message: "the shop must reopen the app" };
    expect(await push("UNSUBSCRIBED")).toMatchObject({ ok: false, retry: "after_reauth" });
    admin.result = { ok: false, reason: "unavailable", message: "token endpoint down" };
    expect(await push("UNSUBSCRIBED")).toMatchObject({ ok: false, retry: "backoff" });
  });
});
