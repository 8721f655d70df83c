import type { UsageChargeResult } from "../adapters/shopify-billing.server";
import { consentSyncOutcome, type ConsentSyncTiming } from "../consent-sync/retry";

/** Same lease, backoff and parking as the consent outbox (ADR 017): 30 s doubling to an hour, parked after 10 attempts. */
export const USAGE_CHARGE_TIMING: ConsentSyncTiming = { leaseMs: 120_000, retryBaseMs: 30_000, retryCapMs: 3_600_000, maxAttempts: 10 };

export type UsageChargeOutcome =
  | { status: "charged"; recordId: string }
  | { status: "held"; lastError: string }
  | { status: "pending"; nextAttemptAt: Date; countAttempt: boolean; lastError: string }
  | { status: "failed"; lastError: string };

/**
 * What to record after attempt number `attempts`. A refusal for the cap is not the charge's
 * failure: it is held, uncounted, until the cap is raised or the period renews (the text was
 * sent; the charge is owed). Everything else backs off and parks as consent changes do. Pure.
 */
export function usageChargeOutcome(result: UsageChargeResult, attempts: number, now: Date, timing: ConsentSyncTiming = USAGE_CHARGE_TIMING): UsageChargeOutcome {
  if (result.ok) return { status: "charged", recordId: result.recordId };
  if (result.retry === "cap") return { status: "held", lastError: result.message };
  const outcome = consentSyncOutcome({ ok: false, retry: result.retry, message: result.message }, attempts, now, timing);
  return outcome.status === "synced" ? { status: "failed", lastError: "unreachable" } : outcome;
}
