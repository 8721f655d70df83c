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

/**
 * Shopify's bulk operations for one export (shopify.dev/docs/api/usage/bulk-operations/queries):
 * bulkOperationRunQuery starts it, bulkOperation(id:) reports RUNNING for `pollsUntilDone` polls
 * and then COMPLETED with a url, and that url (a local server) serves the JSONL. ordersCount
 * answers `ordersCount`. `cutNextDownloadAfter(bytes)` drops the next download's connection
 * after that many bytes, as a network failure or a crash mid-file would; `stallNextDownloadAfter`
 * leaves it open and silent.
 */
export async function fakeBulkExport(options: { jsonl: string; ordersCount: number; pollsUntilDone?: number }) {
  const { createServer } = await import("node:http");
  const downloads: { path: string; bytesSent: number }[] = [];
  const started: AdminCall[] = [];
  let cutAfter: number | null = null;
  let stallAfter: number | null = null;
  let polls = 0;
  let gone = false;
  const server = createServer((request, response) => {
    const body = Buffer.from(options.jsonl);
    if (gone) return void response.writeHead(403).end("<Error><Code>AccessDenied</Code></Error>");
    response.writeHead(200, { "content-type": "application/jsonl", "content-length": body.length });
    if (stallAfter !== null) {
      const stall = stallAfter;
      stallAfter = null;
      downloads.push({ path: request.url ?? "", bytesSent: stall });
      return void response.write(body.subarray(0, stall)); // and never another byte
    }
    if (cutAfter === null) {
      downloads.push({ path: request.url ?? "", bytesSent: body.length });
      return void response.end(body);
    }
    const cut = cutAfter;
    cutAfter = null;
    downloads.push({ path: request.url ?? "", bytesSent: cut });
    response.write(body.subarray(0, cut), () => setTimeout(() => response.destroy(), 20));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;

  const answer: AdminAnswer = (call) => {
    if (/\bordersCount\b/.test(call.query)) return Response.json({ data: { ordersCount: { count: options.ordersCount, precision: "EXACT" } } });
    if (/\bbulkOperationRunQuery\b/.test(call.query)) {
      started.push(call);
      polls = 0;
      return mutationResult("bulkOperationRunQuery", {
        bulkOperation: { id: `gid://shopify/BulkOperation/${started.length}`, status: "CREATED" },
        userErrors: [],
      });
    }
    if (/\bbulkOperation\(id:/.test(call.query)) {
      const id = String(call.variables.id);
      polls += 1;
      const done = polls > (options.pollsUntilDone ?? 1);
      return Response.json({
        data: {
          bulkOperation: {
            id,
            status: done ? "COMPLETED" : "RUNNING",
            errorCode: null,
            objectCount: done ? String(options.ordersCount) : "0",
            url: done ? `${base}/bulk/${id.split("/").pop()}.jsonl` : null,
            partialDataUrl: null,
          },
        },
      });
    }
    return Response.json({ errors: [{ message: `fakeBulkExport has no answer for: ${call.query.slice(0, 80)}` }] });
  };
  return {
    answer,
    /** bulkOperationRunQuery calls (their variables hold the query Shopify would run). */
    started,
    downloads,
    cutNextDownloadAfter(bytes: number) {
      cutAfter = bytes;
    },
    /** The next download sends that many bytes and then nothing, with the connection left open. */
    stallNextDownloadAfter(bytes: number) {
      stallAfter = bytes;
    },
    /** The file's signed url expired (Shopify keeps it a week): downloads answer 403. */
    expireFile(expired = true) {
      gone = expired;
    },
    close: () => new Promise<void>((resolve) => (server.close(() => resolve()), server.closeAllConnections())),
  };
}
