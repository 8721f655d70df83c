import { HttpMaxRetriesError } from "@shopify/shopify-api";
import type { AdminApiClient, AdminApiResult } from "./shopify-admin.server";

/**
 * One outbox attempt's Admin API call (consent sync, usage charges): the outbox decides when to
 * try again, so an attempt is bounded. A hung call must not hold the worker loop (the row's lease
 * lets another attempt take over), and the client's own `tries` covers a passing 429, 503 or
 * network error within the attempt.
 */
const CALL_TIMEOUT_MS = 20_000;
const TRIES = 3;

export function callAdminOnce(admin: AdminApiClient, query: string, variables?: Record<string, unknown>): Promise<Response> {
  return admin.graphql(query, { ...(variables ? { variables } : {}), tries: TRIES, signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
}

/** No client for the shop: retry once the merchant has reopened the app (`after_reauth`), else later (`backoff`). */
export function adminUnavailable(result: Extract<AdminApiResult, { ok: false }>): { ok: false; retry: "after_reauth" | "backoff"; message: string } {
  return { ok: false, retry: result.reason === "needs_reauth" ? "after_reauth" : "backoff", message: `${result.reason}: ${result.message}` };
}

/** What a call that threw means, for the outbox row; the library's message for its last try names no status, so say what it means. */
export function callFailureMessage(error: unknown): string {
  return error instanceof HttpMaxRetriesError ? `Shopify answered 429 or 5xx on each of ${TRIES} tries` : error instanceof Error ? error.message : String(error);
}
