import { log } from "../lib/log.server";
import type { NudgeDiscountMutation, NudgeDiscountMutationVariables } from "../types/admin.generated";
import { backgroundAdmin, type AdminApiClient } from "./shopify-admin.server";

export interface DiscountRequest {
  shop: string;
  code: string;
  percent: number;
  startsAt: Date;
  endsAt: Date;
  title: string;
}

type DiscountResult =
  | { ok: true; id: string | null }
  /** needsReauth: Shopify refused the shop's refresh token; no code until the merchant reopens the app. */
  | { ok: false; retryable: boolean; message: string; needsReauth?: boolean };
export type DiscountMinter = ((request: DiscountRequest) => Promise<DiscountResult>) & {
  /**
   * The minter for one shop with what it reads from the database (the shop's offline session)
   * already read: the dispatcher asks for it once per chunk and then mints the chunk's codes
   * at once, before the send's transaction opens (app/dispatch/mint-discounts.server.ts).
   */
  forShop?: (shop: string) => Promise<DiscountMinter>;
};

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
export const shopifyDiscountMinter: DiscountMinter = Object.assign(
  async (request: DiscountRequest) => {
    const admin = await adminFor(request.shop);
    return "retryable" in admin ? admin : mintWith(admin, request);
  },
  {
    forShop: async (shop: string): Promise<DiscountMinter> => {
      const admin = await adminFor(shop);
      return async (request) => ("retryable" in admin ? admin : mintWith(admin, request));
    },
  },
);

/** The shop's Admin API client (its offline session), or a retryable failure when it can't be had. */
async function adminFor(shop: string): Promise<AdminApiClient | Extract<DiscountResult, { ok: false }>> {
  const result = await backgroundAdmin(shop);
  if (result.ok) return result.admin;
  return { ok: false, retryable: true, message: result.message, ...(result.reason === "needs_reauth" ? { needsReauth: true } : {}) };
}

async function mintWith(admin: AdminApiClient, request: DiscountRequest): Promise<DiscountResult> {
  try {
    // Typed by codegen from Admin API 2026-04 (app/types): a renamed input field fails typecheck.
    const variables: NudgeDiscountMutationVariables = {
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
    };
    const response = await admin.graphql(MUTATION, { variables });
    const body = (await response.json()) as { data?: NudgeDiscountMutation };
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
}
