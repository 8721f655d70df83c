import { database } from "../db.server";
import type { SqlTx } from "../db/sql-driver.server";
import { log } from "../lib/log.server";
import { requestOfflineToken, type TokenAnswer, type TokenGrant } from "./shopify-token-endpoint.server";
import { withShopTokenLock } from "./shop-token-lock.server";

/**
 * Keeps a shop's stored offline token usable for background work. Shopify's expiring offline
 * tokens live 1 hour and their refresh token 90 days, and every refresh rotates the refresh
 * token (the old one is dead from then on):
 * https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/offline-access-tokens
 * Shopify asks apps to refresh "a few minutes before they expire"; we renew 10 minutes ahead,
 * which also keeps the Remix library's own refresh (5 minutes ahead, unserialised) from ever
 * firing on a session we handed out. See docs/decisions/013-expiring-offline-tokens.md.
 */
const RENEW_BEFORE_EXPIRY_MS = 10 * 60_000;
/** A token still this far from expiry is used as it is when renewing it failed for a passing reason. */
const STILL_USABLE_MS = 6 * 60_000;
/** The lifetime we assume when a refresh answer has no expires_in (shopify-app-js issue #3400): short, so we renew soon. */
export const MISSING_EXPIRES_IN_SECONDS = 15 * 60;

/** `accessToken`: the stored token, when it was read as it is (no renewal ran). */
export type OfflineTokenResult = { ok: true; accessToken?: string } | { ok: false; reason: "needs_reauth" | "no_session" | "unavailable"; message: string };

interface Stored {
  access_token: string;
  expires: Date | null;
  refresh_token: string | null;
  refresh_token_expires: Date | null;
  reauth_needed_at: Date | null;
  reauth_reason: string | null;
}

const inFlight = new Map<string, Promise<OfflineTokenResult>>();
/** After a renewal that failed for a passing reason (or a refused migration): when to try again. */
const retryAt = new Map<string, number>();
const RETRY_AFTER_MS = 60_000;

/**
 * Makes sure the shop's stored offline session can be used for the next hour's calls:
 * refreshes it when it is within 10 minutes of expiry, and migrates a non-expiring one. One
 * renewal per shop at a time: callers in this process share the one in flight, and processes
 * take a per-shop lock (shop-token-lock.server.ts) and re-read the session under it.
 * `shareInFlight: false` skips the in-process sharing (tests use it to play two workers).
 */
export async function ensureOfflineToken(shop: string, options: { shareInFlight?: boolean } = {}): Promise<OfflineTokenResult> {
  const { sql } = await database();
  const stored = await readStored(sql, shop);
  const early = settled(shop, stored);
  if (early) return early.ok ? { ok: true, accessToken: stored!.access_token } : early;
  // Renewal failed a moment ago for a passing reason: use the token while it lasts, don't hammer Shopify.
  if ((retryAt.get(shop) ?? 0) > Date.now()) return stillUsable(stored!, Date.now()) ? { ok: true } : { ok: false, reason: "unavailable", message: "renewing the token failed; retrying soon" };
  if (options.shareInFlight === false) return renewUnderLock(shop);
  let renewal = inFlight.get(shop);
  if (!renewal) {
    renewal = renewUnderLock(shop).finally(() => inFlight.delete(shop));
    inFlight.set(shop, renewal);
  }
  return renewal;
}

/** Clears the re-auth flag: a token exchange (the merchant opened the app) stored a fresh session. */
export async function clearReauthNeeded(shop: string): Promise<void> {
  const { sql } = await database();
  await sql.query("UPDATE shop SET reauth_needed_at = NULL, reauth_reason = NULL, updated_at = now() WHERE domain = $1 AND reauth_needed_at IS NOT NULL", [shop]);
}

/** The Admin API answered 401 to this token: mark it expired (if it is still the stored one) so the next call renews it. */
export async function markTokenRejected(shop: string, accessToken: string): Promise<void> {
  const { sql } = await database();
  await sql.query("UPDATE session SET expires = now() WHERE id = $1 AND shop = $2 AND access_token = $3", [offlineId(shop), shop, accessToken]);
}

/** The answer without renewing, or null when the token must be renewed. */
function settled(shop: string, stored: Stored | null): OfflineTokenResult | null {
  if (!stored) return { ok: false, reason: "no_session", message: `no offline session stored for ${shop}` };
  if (stored.reauth_needed_at) return { ok: false, reason: "needs_reauth", message: `the shop must reopen the app: ${stored.reauth_reason ?? "token refused"}` };
  return needsRenewal(stored, Date.now()) ? null : { ok: true };
}

function needsRenewal(stored: Stored, now: number): boolean {
  if (stored.expires === null) return true; // non-expiring: migrate (Shopify refuses these from 2027-01-01)
  return new Date(stored.expires).getTime() - RENEW_BEFORE_EXPIRY_MS <= now;
}

function stillUsable(stored: Stored, now: number): boolean {
  return stored.expires === null || new Date(stored.expires).getTime() - STILL_USABLE_MS > now;
}

async function renewUnderLock(shop: string): Promise<OfflineTokenResult> {
  return withShopTokenLock(shop, async (tx) => {
    // Read again under the lock: another worker may have renewed it while we waited.
    const current = await readStored(tx, shop);
    const early = settled(shop, current);
    if (early || !current) return early!;
    const now = Date.now();
    const grant = grantFor(current, now);
    if ("refused" in grant) return flagReauth(tx, shop, current, grant.refused);

    const result = await requestOfflineToken(shop, grant);
    if (result.ok) {
      retryAt.delete(shop);
      const saved = await saveRenewed(tx, shop, current.access_token, result.answer, now);
      log.info(grant.kind === "refresh" ? "refreshed a shop's offline token" : "migrated a shop's offline token to an expiring one", { shop, saved });
      return { ok: true };
    }
    if (!result.refused) {
      log.warn("could not renew a shop's offline token; will try again", { shop, message: result.message });
      retryAt.set(shop, now + RETRY_AFTER_MS);
      return stillUsable(current, now) ? { ok: true } : { ok: false, reason: "unavailable", message: result.message };
    }
    // Refused. Before giving up, look again: a process outside this lock (the merchant opening
    // the app, which exchanges a new token) may have replaced the one we sent.
    const after = await readStored(tx, shop);
    if (after && after.access_token !== current.access_token) return settled(shop, after) ?? { ok: true };
    // A non-expiring token Shopify won't migrate still works until 2027; keep using it.
    if (grant.kind === "migrate") {
      log.warn("Shopify refused to migrate a non-expiring offline token", { shop, message: result.message });
      retryAt.set(shop, now + RETRY_AFTER_MS);
      return { ok: true };
    }
    return flagReauth(tx, shop, current, `refresh refused: ${result.message}`);
  });
}

function grantFor(stored: Stored, now: number): TokenGrant | { refused: string } {
  if (stored.refresh_token) {
    if (stored.refresh_token_expires && new Date(stored.refresh_token_expires).getTime() <= now) return { refused: "the refresh token expired (90 days unused)" };
    return { kind: "refresh", refreshToken: stored.refresh_token };
  }
  if (stored.expires === null) return { kind: "migrate", accessToken: stored.access_token };
  return { refused: "an expiring token without a refresh token" };
}

/**
 * Stores the new token only over the one it replaces (compare-and-set on the access token): if
 * the merchant's token exchange stored a newer session meanwhile, that one stays.
 */
async function saveRenewed(tx: SqlTx, shop: string, replaced: string, answer: TokenAnswer, now: number): Promise<boolean> {
  const expiresIn = answer.expires_in ?? MISSING_EXPIRES_IN_SECONDS;
  if (answer.expires_in === undefined) log.warn("token answer without expires_in; assuming a short lifetime", { shop, seconds: expiresIn });
  const rows = await tx.query(
    `UPDATE session SET access_token = $3, expires = $4, refresh_token = $5, refresh_token_expires = $6, scope = COALESCE($7, scope)
     WHERE id = $1 AND shop = $2 AND access_token = $8 RETURNING id`,
    [
      offlineId(shop),
      shop,
      answer.access_token,
      new Date(now + expiresIn * 1000),
      answer.refresh_token ?? null,
      answer.refresh_token && answer.refresh_token_expires_in ? new Date(now + answer.refresh_token_expires_in * 1000) : null,
      answer.scope ?? null,
      replaced,
    ],
  );
  return rows.length > 0;
}

/**
 * Shopify won't renew this shop's token: only the merchant reopening the app (a new token
 * exchange) can. The shop is flagged (the admin shows a banner, code texts wait), and the stored
 * session is marked expired so that the next admin load exchanges a new token instead of using it.
 */
async function flagReauth(tx: SqlTx, shop: string, stored: Stored, reason: string): Promise<OfflineTokenResult> {
  log.error("a shop's offline token can't be renewed; it needs the merchant to reopen the app", { shop, reason });
  const at = new Date();
  await tx.query("UPDATE shop SET reauth_needed_at = $2, reauth_reason = $3, updated_at = now() WHERE domain = $1 AND reauth_needed_at IS NULL", [shop, at, reason]);
  await tx.query("UPDATE session SET expires = $3 WHERE id = $1 AND access_token = $2", [offlineId(shop), stored.access_token, at]);
  return { ok: false, reason: "needs_reauth", message: `the shop must reopen the app: ${reason}` };
}

async function readStored(tx: SqlTx, shop: string): Promise<Stored | null> {
  const [row] = await tx.query<Stored>(
    `SELECT s.access_token, s.expires, s.refresh_token, s.refresh_token_expires, sh.reauth_needed_at, sh.reauth_reason
     FROM session s LEFT JOIN shop sh ON sh.domain = s.shop
     WHERE s.id = $1 AND s.shop = $2`,
    [offlineId(shop), shop],
  );
  return row ?? null;
}

/** The library's id for a shop's offline session (getOfflineId). */
function offlineId(shop: string): string {
  return `offline_${shop}`;
}
