import { log } from "../lib/log.server";
import type {
  NudgeDiscountCodesAddedQuery,
  NudgeDiscountCodesAddedQueryVariables,
  NudgeDiscountCodesAddMutation,
  NudgeDiscountCodesAddMutationVariables,
  NudgeDiscountMutation,
  NudgeDiscountMutationVariables,
} from "../types/admin.generated";
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
  /** Adds codes to a discount the minter made, for pooled codes (ADR 025); without it, every text gets its own discount. */
  bulk?: DiscountCodeAdder;
};

type Failure = Extract<DiscountResult, { ok: false }>;

/**
 * Shopify's bulk code creation, which runs after its mutation answers: `add` starts it,
 * `added` says whether it is done and which codes it created (a code with errors, one the shop
 * already has say, was not).
 */
export interface DiscountCodeAdder {
  add(shop: string, discountId: string, codes: readonly string[]): Promise<{ ok: true; bulkId: string } | Failure>;
  added(shop: string, bulkId: string): Promise<{ ok: true; done: boolean; created: string[] } | Failure>;
}

const MUTATION = `#graphql
  mutation nudgeDiscount($basicCodeDiscount: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {
      codeDiscountNode { id }
      userErrors { field code message }
    }
  }`;

const ADD_CODES = `#graphql
  mutation nudgeDiscountCodesAdd($discountId: ID!, $codes: [DiscountRedeemCodeInput!]!) {
    discountRedeemCodeBulkAdd(discountId: $discountId, codes: $codes) {
      bulkCreation { id }
      userErrors { field code message }
    }
  }`;

// A fill adds at most 250 codes (the mutation's limit), so one page holds every result.
const ADDED_CODES = `#graphql
  query nudgeDiscountCodesAdded($id: ID!) {
    discountRedeemCodeBulkCreation(id: $id) {
      done
      codes(first: 250) { nodes { code errors { code message } discountRedeemCode { id } } }
    }
  }`;

/**
 * discountRedeemCodeBulkAdd and discountRedeemCodeBulkCreation with the shop's offline token
 * (scope write_discounts). Codes are added to a discount made by `shopifyDiscountMinter`, so
 * each shares its single use and once per customer: Shopify applies a discount's usage limit to
 * each of its codes (https://support.seguno.com/bulk-discount-code-generator/en/articles/8173994).
 */
const shopifyCodeAdder: DiscountCodeAdder = {
  add: (shop, discountId, codes) =>
    withAdmin(shop, async (admin) => {
      const variables: NudgeDiscountCodesAddMutationVariables = { discountId, codes: codes.map((code) => ({ code })) };
      const body = (await (await admin.graphql(ADD_CODES, { variables })).json()) as { data?: NudgeDiscountCodesAddMutation };
      const result = body.data?.discountRedeemCodeBulkAdd;
      const bulkId = result?.bulkCreation?.id;
      if (bulkId) return { ok: true, bulkId };
      const message = (result?.userErrors ?? []).map((e) => e.message).join("; ") || "Shopify started no bulk code creation";
      log.warn("Shopify refused to add discount codes", { shop, message });
      return { ok: false, retryable: false, message };
    }),
  added: (shop, bulkId) =>
    withAdmin(shop, async (admin) => {
      const variables: NudgeDiscountCodesAddedQueryVariables = { id: bulkId };
      const body = (await (await admin.graphql(ADDED_CODES, { variables })).json()) as { data?: NudgeDiscountCodesAddedQuery };
      const creation = body.data?.discountRedeemCodeBulkCreation;
      if (!creation) return { ok: false, retryable: true, message: `no bulk code creation ${bulkId}` };
      return { ok: true, done: creation.done, created: creation.codes.nodes.filter((n) => n.errors.length === 0 && n.discountRedeemCode).map((n) => n.code) };
    }),
};

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
    bulk: shopifyCodeAdder,
  },
);

/** Runs `call` with the shop's Admin API client; a missing client or a thrown call is a retryable failure. */
async function withAdmin<T>(shop: string, call: (admin: AdminApiClient) => Promise<T | Failure>): Promise<T | Failure> {
  const admin = await adminFor(shop);
  if ("retryable" in admin) return admin;
  try {
    return await call(admin);
  } catch (error) {
    log.warn("a discount code call to Shopify failed", { shop, error });
    return { ok: false, retryable: true, message: error instanceof Error ? error.message : String(error) };
  }
}

/** The shop's Admin API client (its offline session), or a retryable failure when it can't be had. */
async function adminFor(shop: string): Promise<AdminApiClient | Failure> {
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
