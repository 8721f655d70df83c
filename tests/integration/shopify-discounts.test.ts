import { describe, expect, it, vi } from "vitest";
import { validateAdminCall } from "../support/admin-schema";

const graphql = vi.hoisted(() => vi.fn());
vi.mock("~/adapters/shopify-admin.server", () => ({ backgroundAdmin: async () => ({ ok: true, admin: { graphql } }) }));

const { shopifyDiscountMinter } = await import("~/adapters/shopify-discounts.server");
const answer = (payload: unknown) => new Response(JSON.stringify({ data: { discountCodeBasicCreate: payload } }));
const request = {
  shop: "snow.myshopify.com",
  code: "NUDGE-ABCD2345",
  percent: 15,
  startsAt: new Date("2026-11-24T15:00:00Z"),
  endsAt: new Date("2026-12-01T15:00:00Z"),
  title: "Nudge welcome NUDGE-ABCD2345",
};

describe("shopifyDiscountMinter", () => {
  it("creates a single-use, once-per-customer percentage code for everything, for all buyers", async () => {
    graphql.mockReset().mockResolvedValue(answer({ codeDiscountNode: { id: "gid://shopify/DiscountCodeNode/9" }, userErrors: [] }));
    expect(await shopifyDiscountMinter(request)).toEqual({ ok: true, id: "gid://shopify/DiscountCodeNode/9" });
    const [mutation, { variables }] = graphql.mock.calls[0]!;
    expect(mutation).toContain("discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount)");
    expect(variables).toEqual({
      basicCodeDiscount: {
        title: "Nudge welcome NUDGE-ABCD2345",
        code: "NUDGE-ABCD2345",
        startsAt: "2026-11-24T15:00:00.000Z",
        endsAt: "2026-12-01T15:00:00.000Z",
        context: { all: "ALL" },
        customerGets: { value: { percentage: 0.15 }, items: { all: true } },
        usageLimit: 1,
        appliesOncePerCustomer: true,
      },
    });
    expect(validateAdminCall(mutation, variables)).toEqual([]); // as Admin API 2026-04 would take it
  });

  it("treats our own code already existing as success (a retry after a lost answer)", async () => {
    graphql.mockReset().mockResolvedValue(answer({ codeDiscountNode: null, userErrors: [{ field: ["code"], code: "TAKEN", message: "Code must be unique" }] }));
    expect(await shopifyDiscountMinter(request)).toEqual({ ok: true, id: null });
  });

  it("reports a refusal as permanent and a network failure or throttle as retryable", async () => {
    graphql.mockReset().mockResolvedValue(answer({ codeDiscountNode: null, userErrors: [{ field: ["endsAt"], code: "INVALID", message: "Ends at is invalid" }] }));
    expect(await shopifyDiscountMinter(request)).toEqual({ ok: false, retryable: false, message: "Ends at is invalid" });
    graphql.mockReset().mockRejectedValue(new Error("429 Too Many Requests"));
    expect(await shopifyDiscountMinter(request)).toMatchObject({ ok: false, retryable: true });
  });
});

// Pooled codes (ADR 025): codes added in bulk to a discount the minter made.
describe("shopifyDiscountMinter.bulk", () => {
  const bulk = shopifyDiscountMinter.bulk!;
  const data = (payload: unknown) => new Response(JSON.stringify({ data: payload }));

  it("adds codes to the pool's discount and returns Shopify's bulk creation", async () => {
    graphql.mockReset().mockResolvedValue(data({ discountRedeemCodeBulkAdd: { bulkCreation: { id: "gid://shopify/DiscountRedeemCodeBulkCreation/7" }, userErrors: [] } }));
    expect(await bulk.add("snow.myshopify.com", "gid://shopify/DiscountCodeNode/9", ["NUDGE-AAAA2345", "NUDGE-BBBB2345"])).toEqual({
      ok: true,
      bulkId: "gid://shopify/DiscountRedeemCodeBulkCreation/7",
    });
    const [mutation, { variables }] = graphql.mock.calls[0]!;
    expect(mutation).toContain("discountRedeemCodeBulkAdd(discountId: $discountId, codes: $codes)");
    expect(variables).toEqual({ discountId: "gid://shopify/DiscountCodeNode/9", codes: [{ code: "NUDGE-AAAA2345" }, { code: "NUDGE-BBBB2345" }] });
    expect(validateAdminCall(mutation, variables)).toEqual([]);
  });

  it("reports a refusal to add codes, and a failed call as retryable", async () => {
    graphql.mockReset().mockResolvedValue(data({ discountRedeemCodeBulkAdd: { bulkCreation: null, userErrors: [{ field: ["discountId"], code: "INVALID", message: "Discount does not exist" }] } }));
    expect(await bulk.add("snow.myshopify.com", "gid://shopify/DiscountCodeNode/9", ["NUDGE-AAAA2345"])).toEqual({ ok: false, retryable: false, message: "Discount does not exist" });
    graphql.mockReset().mockRejectedValue(new Error("429 Too Many Requests"));
    expect(await bulk.add("snow.myshopify.com", "gid://shopify/DiscountCodeNode/9", ["NUDGE-AAAA2345"])).toMatchObject({ ok: false, retryable: true });
  });

  it("reads whether the bulk creation is done, and which codes Shopify created", async () => {
    graphql.mockReset().mockResolvedValue(
      data({
        discountRedeemCodeBulkCreation: {
          done: true,
          codes: {
            nodes: [
              { code: "NUDGE-AAAA2345", errors: [], discountRedeemCode: { id: "gid://shopify/DiscountRedeemCode/1" } },
              { code: "NUDGE-BBBB2345", errors: [{ code: "TAKEN", message: "Code must be unique" }], discountRedeemCode: null },
            ],
          },
        },
      }),
    );
    expect(await bulk.added("snow.myshopify.com", "gid://shopify/DiscountRedeemCodeBulkCreation/7")).toEqual({ ok: true, done: true, created: ["NUDGE-AAAA2345"] });
    const [query, { variables }] = graphql.mock.calls[0]!;
    expect(variables).toEqual({ id: "gid://shopify/DiscountRedeemCodeBulkCreation/7" });
    expect(validateAdminCall(query, variables)).toEqual([]);
    graphql.mockReset().mockResolvedValue(data({ discountRedeemCodeBulkCreation: null }));
    expect(await bulk.added("snow.myshopify.com", "gid://shopify/DiscountRedeemCodeBulkCreation/8")).toMatchObject({ ok: false, retryable: true });
  });
});
