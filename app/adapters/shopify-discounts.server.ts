import { log } from "../lib/log.server";
import { unauthenticated } from "../shopify.server";

export interface DiscountRequest {
  shop: string;
  code: string;
  percent: number;
  startsAt: Date;
  endsAt: Date;
  title: string;
}

export type DiscountResult = { ok: true; id: string | null } | { ok: false; retryable: boolean; message: string };
export type DiscountMinter = (request: DiscountRequest) => Promise<DiscountResult>;

const MUTATION = `#graphql
  mutation nudgeDiscount($basicCodeDiscount: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {
      codeDiscountNode { id }
      userErrors { field code message }
    }
  }`;

/**
 * Creates a single-use, once-per-customer percentage code for all items with the shop's
 * offline token (discountCodeBasicCreate, scope write_discounts).
 */
export const shopifyDiscountMinter: DiscountMinter = async (request) => {
  try {
    const { admin } = await unauthenticated.admin(request.shop);
    const response = await admin.graphql(MUTATION, {
      variables: {
        basicCodeDiscount: {
          title: request.title,
          code: request.code,
          startsAt: request.startsAt.toISOString(),
          endsAt: request.endsAt.toISOString(),
          context: { all: "ALL" },
          customerGets: { value: { percentage: request.percent / 100 }, items: { all: true } },
          usageLimit: 1,
          appliesOncePerCustomer: true,
        },
      },
    });
    const body = (await response.json()) as {
      data?: { discountCodeBasicCreate?: { codeDiscountNode?: { id: string } | null; userErrors?: { code?: string; message: string }[] } };
    };
    const result = body.data?.discountCodeBasicCreate;
    const errors = result?.userErrors ?? [];
    // A retry after a lost answer finds our own code already there: that is success.
    if (errors.length > 0 && !errors.every((e) => e.code === "TAKEN")) {
      log.warn("Shopify refused a discount code", { shop: request.shop, errors: errors.map((e) => e.message) });
      return { ok: false, retryable: false, message: errors.map((e) => e.message).join("; ") };
    }
    return { ok: true, id: result?.codeDiscountNode?.id ?? null };
  } catch (error) {
    // Throttling (429), 5xx and network errors: the message waits and tries again.
    log.warn("could not create a discount code", { shop: request.shop, error });
    return { ok: false, retryable: true, message: error instanceof Error ? error.message : String(error) };
  }
};
