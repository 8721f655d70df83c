import type { SqlDriver } from "../db/sql-driver.server";
import { log } from "../lib/log.server";
import { claimDueMessages, type ClaimedMessage } from "./claim.server";
import type { RateLimiter } from "./rate-limit";
import { sendClaimedMessage, type SendDeps, type SendOutcome } from "./send-message.server";

export interface DispatchDeps extends Omit<SendDeps, "throttle"> {
  sql: SqlDriver;
  workerId: string;
  batchSize?: number;
  /** Messages handled at once; each holds a connection while its text is sent. */
  concurrency?: number;
  rateLimiter?: RateLimiter;
}

export type DispatchSummary = Record<SendOutcome | "claimed" | "errors", number>;

/** One dispatcher tick: claim a batch of due messages and decide, send and record each. */
export async function dispatchDueMessages(deps: DispatchDeps): Promise<DispatchSummary> {
  const summary: DispatchSummary = { claimed: 0, sent: 0, skipped: 0, deferred: 0, failed: 0, retry: 0, unknown: 0, errors: 0 };
  const claimed = await claimDueMessages(deps.sql, { now: deps.now(), limit: deps.batchSize ?? 100, workerId: deps.workerId });
  summary.claimed = claimed.length;
  const sendDeps: SendDeps = {
    ...deps,
    throttle: deps.rateLimiter ? (sender, perSecond) => deps.rateLimiter!.acquire(sender, perSecond) : undefined,
  };
  await forEachConcurrently(claimed, deps.concurrency ?? 4, async (message: ClaimedMessage) => {
    try {
      // Whatever the minter reads from the database is read before the transaction (see DiscountMinter.forShop).
      const mintDiscount = message.discount && deps.mintDiscount?.forShop ? await deps.mintDiscount.forShop(message.shop) : deps.mintDiscount;
      summary[await deps.sql.transaction((tx) => sendClaimedMessage(tx, message, { ...sendDeps, mintDiscount }))]++;
    } catch (error) {
      // The row stays in `sending`; recovery asks Twilio what happened before anything else.
      summary.errors++;
      log.error("dispatch failed for a message", { messageId: message.id, shop: message.shop, error });
    }
  });
  return summary;
}

async function forEachConcurrently<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(workers);
}
