import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { validateAdminCall } from "../support/admin-schema";

/**
 * A stand-in for the Shopify Admin GraphQL API behind the real Shopify client: requests to
 * https://<shop>/admin/api/<version>/graphql.json are answered by `answer`; anything else
 * goes to the real fetch. The library keeps the fetch it was given, so this swaps that one.
 * Like Shopify, it answers a query or variables invalid against the Admin schema with GraphQL
 * errors (and never asks `answer`), so every test through it checks what the app sends.
 */
export interface AdminCall {
  shop: string;
  accessToken: string | null;
  query: string;
  variables: Record<string, unknown>;
}
export type AdminAnswer = (call: AdminCall) => Response | Promise<Response>;

const DEFAULT_SCOPES = "read_orders,read_customers,write_customers,write_discounts,write_app_proxy";

export function fakeShopifyAdmin(answer: AdminAnswer) {
  const calls: AdminCall[] = [];
  const realFetch = globalThis.fetch;
  let respond = answer;
  setAbstractFetchFunc(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    // Token exchange on a first admin load (the install): an offline token with the app's scopes.
    if (url.pathname === "/admin/oauth/access_token") return Response.json({ access_token: `shpat_exchanged_${calls.length}`, scope: process.env.SCOPES ?? DEFAULT_SCOPES });
    if (!/^\/admin\/api\/[^/]+\/graphql\.json$/.test(url.pathname)) return realFetch(input, init);
    const { query, variables } = (await request.json()) as { query: string; variables?: Record<string, unknown> };
    const call = { shop: url.hostname, accessToken: request.headers.get("x-shopify-access-token"), query, variables: variables ?? {} };
    calls.push(call);
    const problems = validateAdminCall(query, call.variables);
    if (problems.length > 0) return invalidCall(problems);
    return respond(call);
  });
  return {
    calls,
    answerWith(next: AdminAnswer) {
      respond = next;
    },
    restore: () => setAbstractFetchFunc(realFetch),
  };
}

/**
 * GraphQL Admin API's cost throttle: HTTP 200 with a THROTTLED error and the bucket's state
 * (shopify.dev/docs/api/usage/rate-limits#graphql-admin-api-rate-limits).
 */
export function throttled(): Response {
  return Response.json({
    errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
    extensions: { cost: { requestedQueryCost: 10, actualQueryCost: null, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 4, restoreRate: 100 } } },
  });
}

/**
 * Shopify's answer to a call it can't run: HTTP 200 with the reasons as GraphQL errors and no data
 * (shopify.dev/docs/api/usage/response-codes).
 */
export function invalidCall(problems: string[]): Response {
  return Response.json({ errors: problems.map((message) => ({ message })) });
}

/** A successful answer for a mutation: { data: { [name]: payload } }. */
export function mutationResult(name: string, payload: unknown): Response {
  return Response.json({ data: { [name]: payload }, extensions: { cost: { requestedQueryCost: 10, actualQueryCost: 10 } } });
}

/** The Shop object as the nudgeShopDetails query reads it (Admin API 2026-04 field names). */
export function shopDetailsResult(shop: { name: string; currencyCode: string; ianaTimezone: string; contactEmail: string; countryCodeV2: string }): Response {
  const { countryCodeV2, ...rest } = shop;
  return Response.json({ data: { shop: { ...rest, shopAddress: { countryCodeV2 } } }, extensions: { cost: { requestedQueryCost: 2, actualQueryCost: 2 } } });
}
