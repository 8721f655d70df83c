import type { StandinAdminCall } from "./standin.server";

/**
 * The stand-in Shopify's answers to pooled codes' two calls (ADR 025), as Shopify gives them:
 * discountRedeemCodeBulkAdd starts a bulk creation, and discountRedeemCodeBulkCreation reports
 * it done, each code created, or refused as TAKEN where `take` says the shop already had it.
 * `take(shop, code)` records the code and answers whether it was there before. Shared by the
 * demo (app/demo/shopify/demo-shopify.server.ts), the benchmark and the crash test.
 */
export function bulkCodeAnswers(take: (shop: string, code: string) => boolean): Record<"nudgeDiscountCodesAdd" | "nudgeDiscountCodesAdded", (call: StandinAdminCall) => unknown> {
  const bulks = new Map<string, { code: string; taken: boolean }[]>();
  return {
    nudgeDiscountCodesAdd: (call) => {
      const id = `gid://shopify/DiscountRedeemCodeBulkCreation/${bulks.size + 1}`;
      bulks.set(
        id,
        (call.variables.codes as { code: string }[]).map(({ code }) => ({ code, taken: take(call.shop, code) })),
      );
      return { discountRedeemCodeBulkAdd: { bulkCreation: { id }, userErrors: [] } };
    },
    nudgeDiscountCodesAdded: (call) => {
      const results = bulks.get(String(call.variables.id));
      if (!results) return { discountRedeemCodeBulkCreation: null };
      const nodes = results.map(({ code, taken }) =>
        taken
          ? { code, errors: [{ code: "TAKEN", message: "Code must be unique." }], discountRedeemCode: null }
          : { code, errors: [], discountRedeemCode: { id: `gid://shopify/DiscountRedeemCode/${code}` } },
      );
      return { discountRedeemCodeBulkCreation: { done: true, codes: { nodes } } };
    },
  };
}
