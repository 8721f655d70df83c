import type { ConsentPushResult } from "../adapters/shopify-consent.server";

export interface ConsentSyncTiming {
  /** A claimed row is held this long; if its worker dies, another takes it after that. */
  leaseMs: number;
  /** After a failed attempt: retryBaseMs, doubling per attempt, at most retryCapMs. */
  retryBaseMs: number;
  retryCapMs: number;
  /** Attempts before the row is parked as `failed` for a person to look at (npm run nudge -- doctor). */
  maxAttempts: number;
}

/** 30 s, 1, 2, 4 … 32 min, then hourly: ten attempts span about 3.5 hours of a Shopify outage. */
export const CONSENT_SYNC_TIMING: ConsentSyncTiming = { leaseMs: 120_000, retryBaseMs: 30_000, retryCapMs: 3_600_000, maxAttempts: 10 };

export type ConsentSyncOutcome = { status: "synced" } | { status: "pending"; nextAttemptAt: Date; countAttempt: boolean; lastError: string } | { status: "failed"; lastError: string };

/**
 * What to record after attempt number `attempts` (1 for the first). A shop that must
 * re-authorise is not the row's failure: the attempt isn't counted, and the claim holds the
 * row back until the merchant reopens the app (then it goes at once).
 */
export function consentSyncOutcome(result: ConsentPushResult, attempts: number, now: Date, timing: ConsentSyncTiming): ConsentSyncOutcome {
  if (result.ok) return { status: "synced" };
  if (result.retry === "after_reauth") return { status: "pending", nextAttemptAt: now, countAttempt: false, lastError: result.message };
  if (result.retry === "never" || attempts >= timing.maxAttempts) return { status: "failed", lastError: result.message };
  const delay = Math.min(timing.retryBaseMs * 2 ** Math.min(attempts - 1, 30), timing.retryCapMs);
  return { status: "pending", nextAttemptAt: new Date(now.getTime() + delay), countAttempt: true, lastError: result.message };
}
