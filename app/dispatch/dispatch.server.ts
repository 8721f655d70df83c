import type { DiscountMinter } from "../adapters/shopify-discounts.server";
import type { SqlDriver } from "../db/sql-driver.server";
import { log } from "../lib/log.server";
import { readShopSettings } from "../services/shops.server";
import { chunkMessages } from "./chunks";
import { claimDueMessages, type ClaimedMessage } from "./claim.server";
import { DISPATCH_DEFAULTS } from "./defaults";
import { concurrencyLimit, type ConcurrencyLimit } from "../lib/concurrency-limit";
import { mintDiscounts, type PreparedDiscount } from "./mint-discounts.server";
import { burstFor, type RateLimiter } from "./rate-limit";
import { sendClaimedChunk, type SendDeps, type SendOutcome } from "./send-message.server";

export interface DispatchDeps extends Omit<SendDeps, "startSends" | "discounts"> {
  sql: SqlDriver;
  /** Creates the Shopify discount code a message offers; without it, texts go out without codes. */
  mintDiscount?: DiscountMinter;
  workerId: string;
  /** Messages claimed per tick. */
  batchSize?: number;
  /** Most messages decided and sent in one transaction (one shop, distinct shoppers). */
  chunkSize?: number;
  /** Chunks handled at once; each holds a connection while its texts are sent. */
  concurrency?: number;
  /** Discount codes asked of Shopify at once in a tick. */
  mintConcurrency?: number;
  rateLimiter?: RateLimiter;
  /**
   * Called once the tick's last chunk has started (with how many messages it claimed), while
   * chunks may still be sending: the worker loop claims its next batch then, so its
   * connections don't idle through the tail of this one.
   */
  onAllStarted?: (claimed: number) => void;
}

export type DispatchSummary = Record<SendOutcome | "claimed" | "errors", number>;

/**
 * One dispatcher tick: claim a batch of due messages, split it into chunks (one shop, distinct
 * shoppers), wait for each chunk's sender slots with no transaction open, then decide, send
 * and record each chunk in one transaction holding its shoppers' locks (docs/decisions/011).
 */
export async function dispatchDueMessages(deps: DispatchDeps): Promise<DispatchSummary> {
  const summary: DispatchSummary = { claimed: 0, sent: 0, skipped: 0, deferred: 0, failed: 0, retry: 0, unknown: 0, errors: 0 };
  const claimed = await claimDueMessages(deps.sql, { now: deps.now(), limit: deps.batchSize ?? DISPATCH_DEFAULTS.batchSize, workerId: deps.workerId });
  summary.claimed = claimed.length;
  if (claimed.length === 0) {
    deps.onAllStarted?.(0);
    return summary;
  }
  const senders = await sendersOf(deps, [...new Set(claimed.map((m) => m.shop))]);
  const chunkSize = deps.chunkSize ?? DISPATCH_DEFAULTS.chunkSize;
  const limiter = deps.rateLimiter;
  const sendDeps: SendDeps = { ...deps, startSends: limiter ? (sender, perSecond, count) => limiter.start(sender, perSecond, count) : undefined };
  const chunks = chunkMessages(claimed, (shop) => {
    const sender = senders.get(shop);
    return deps.rateLimiter && sender ? burstFor(sender.perSecond, chunkSize) : chunkSize;
  });
  const started = () => deps.onAllStarted?.(claimed.length);
  const codesFor = mintAhead(deps, claimed);
  await forEachConcurrently(chunks, deps.concurrency ?? DISPATCH_DEFAULTS.concurrency, started, async (chunk: ClaimedMessage[]) => {
    const shop = chunk[0]!.shop;
    const sender = senders.get(shop);
    try {
      // Codes first, with no transaction open: a Shopify round trip (50–150 ms) must not hold
      // these shoppers' locks, which a STOP or an order for them waits on (ADR 011, 5 Dec 2026).
      const discounts = await codesFor(chunk);
      // Never while a transaction or a row lock is held: a slow sender must not tie up connections.
      if (deps.rateLimiter && sender) await deps.rateLimiter.reserve(sender.name, sender.perSecond, chunk.length);
      const outcomes = await deps.sql.transaction((tx) => sendClaimedChunk(tx, shop, chunk, { ...sendDeps, discounts }));
      for (const outcome of outcomes.values()) summary[outcome]++;
      summary.errors += chunk.length - outcomes.size;
    } catch (error) {
      // The rows stay in `sending`; recovery asks Twilio what happened before anything else.
      summary.errors += chunk.length;
      log.error("dispatch failed for a chunk of messages", { messageIds: chunk.map((m) => m.id), shop, error });
    }
  });
  return summary;
}

/**
 * Starts minting the tick's codes when it begins (mint-discounts.server.ts: one statement records
 * them all, one stores their Shopify ids): a chunk waiting for a connection has its codes by the
 * time it gets one, so Shopify's round trip overlaps earlier chunks' sends instead of adding to
 * each chunk's turn. No codes when no minter is configured or no message offers one.
 */
function mintAhead(deps: DispatchDeps, claimed: ClaimedMessage[]): (chunk: ClaimedMessage[]) => Promise<Map<string, PreparedDiscount> | undefined> {
  const { mintDiscount } = deps;
  if (!mintDiscount || !claimed.some((m) => m.discount)) return async () => undefined;
  const limit: ConcurrencyLimit = concurrencyLimit(deps.mintConcurrency ?? DISPATCH_DEFAULTS.mintConcurrency);
  const codes = mintDiscounts(deps.sql, claimed, mintDiscount, deps.now(), limit);
  codes.catch(() => undefined); // awaited, and any failure handled, by each chunk's own turn
  return async (chunk) => (chunk.some((m) => m.discount) ? codes : undefined);
}

/**
 * Each shop's sender and rate, read once per tick for the rate limiter. The guards re-read
 * the shop's settings under the lock; this read only spaces the texts.
 */
async function sendersOf(deps: DispatchDeps, shops: string[]): Promise<Map<string, { name: string; perSecond: number }>> {
  if (!deps.rateLimiter) return new Map();
  const rows = await deps.sql.query<{ domain: string; settings: unknown }>(`SELECT domain, settings FROM shop WHERE domain = ANY (ARRAY(SELECT jsonb_array_elements_text($1::jsonb)))`, [
    JSON.stringify(shops),
  ]);
  const senders = new Map<string, { name: string; perSecond: number }>();
  for (const row of rows) {
    const gateway = deps.gatewayFor(row.domain, row.settings);
    if (gateway) senders.set(row.domain, { name: gateway.sender, perSecond: readShopSettings(row.domain, row.settings).sending.ratePerSecond });
  }
  return senders;
}

/** Runs `fn` over `items`, `limit` at a time; `lastStarted` is called when the last item begins. */
async function forEachConcurrently<T>(items: T[], limit: number, lastStarted: () => void, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      if (next === items.length) lastStarted();
      await fn(item);
    }
  });
  await Promise.all(workers);
}
