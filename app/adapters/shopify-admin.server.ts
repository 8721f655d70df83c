import { HttpResponseError } from "@shopify/shopify-api";
import { log } from "../lib/log.server";
import { unauthenticated } from "../shopify.server";
import { ensureOfflineToken, markTokenRejected } from "./offline-token.server";

/** What background work needs of the Admin API: one GraphQL call. */
export interface AdminApiClient {
  /** `tries` (the library's): attempts for a 429, 503 or network error, 1 s apart. */
  graphql(query: string, options?: { variables?: Record<string, unknown>; tries?: number; signal?: AbortSignal }): Promise<Response>;
}

/**
 * The shop's Admin API client for work outside a merchant's request (dispatcher, consent
 * sync, imports), or why there is none: the shop must re-authorise, has no offline session,
 * or Shopify can't be reached now (try again later).
 */
export type AdminApiResult = { ok: true; admin: AdminApiClient } | { ok: false; reason: "needs_reauth" | "no_session" | "unavailable"; message: string };

/**
 * Each shop's client for its stored token, reused while that token is the one stored: the
 * library's session read (Prisma) cost the dispatcher more per tick than the token check does.
 */
const clients = new Map<string, { accessToken: string; admin: AdminApiClient }>();

/**
 * The one way background code reaches a shop's Admin API. The stored offline token is renewed
 * first when it is near expiry (or still non-expiring), one renewal per shop at a time
 * (offline-token.server.ts); the client is then the library's, over that fresh session (the
 * same client again while the stored token is unchanged).
 */
export async function backgroundAdmin(shop: string): Promise<AdminApiResult> {
  let token;
  try {
    token = await ensureOfflineToken(shop);
  } catch (error) {
    log.warn("could not read or renew the shop's offline token", { shop, error });
    return { ok: false, reason: "unavailable", message: error instanceof Error ? error.message : String(error) };
  }
  if (!token.ok) return token;
  const cached = clients.get(shop);
  if (cached && token.accessToken === cached.accessToken) return { ok: true, admin: cached.admin };
  try {
    const { admin, session } = await unauthenticated.admin(shop);
    const client = renewOnUnauthorized(shop, session.accessToken ?? "", admin);
    if (token.accessToken && session.accessToken === token.accessToken) clients.set(shop, { accessToken: token.accessToken, admin: client });
    else clients.delete(shop);
    return { ok: true, admin: client };
  } catch (error) {
    log.warn("could not load the shop's Admin API session", { shop, error });
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: /could not find a session/i.test(message) ? "no_session" : "unavailable", message };
  }
}

/**
 * Shopify asks apps to refresh "when you receive a 401 response" too
 * (https://shopify.dev/changelog/offline-access-tokens-now-support-expiry-and-refresh): a token
 * revoked before its expiry (a newer one was issued elsewhere) marks the stored session expired,
 * so the caller's retry renews it. The call itself still fails; callers treat that as retryable.
 */
function renewOnUnauthorized(shop: string, accessToken: string, admin: AdminApiClient): AdminApiClient {
  return {
    async graphql(query, options) {
      try {
        return await admin.graphql(query, options);
      } catch (error) {
        if (error instanceof HttpResponseError && error.response.code === 401) {
          log.warn("Shopify refused the shop's access token; it will be renewed before the next call", { shop });
          await markTokenRejected(shop, accessToken);
        }
        throw error;
      }
    },
  };
}
