import { log } from "../lib/log.server";
import { unauthenticated } from "../shopify.server";
import { ensureOfflineToken } from "./offline-token.server";

/** What background work needs of the Admin API: one GraphQL call. */
export interface AdminApiClient {
  graphql(query: string, options?: { variables?: Record<string, unknown> }): Promise<Response>;
}

/**
 * The shop's Admin API client for work outside a merchant's request (dispatcher, consent
 * sync, imports), or why there is none: the shop must re-authorise, has no offline session,
 * or Shopify can't be reached now (try again later).
 */
export type AdminApiResult =
  | { ok: true; admin: AdminApiClient }
  | { ok: false; reason: "needs_reauth" | "no_session" | "unavailable"; message: string };

/**
 * The one way background code reaches a shop's Admin API. The stored offline token is renewed
 * first when it is near expiry (or still non-expiring), one renewal per shop at a time
 * (offline-token.server.ts); the client is then the library's, over that fresh session.
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
  try {
    const { admin } = await unauthenticated.admin(shop);
    return { ok: true, admin };
  } catch (error) {
    log.warn("could not load the shop's Admin API session", { shop, error });
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: /could not find a session/i.test(message) ? "no_session" : "unavailable", message };
  }
}
