/** Timing of the webhook inbox's claims and retries (docs/decisions/024-acknowledge-webhooks-first.md). */
export interface InboxTiming {
  /** A claimed row is held this long; if its worker dies, another claims it after that. */
  leaseMs: number;
  /** After a failed attempt: retryBaseMs, doubling per attempt, at most retryCapMs. */
  retryBaseMs: number;
  retryCapMs: number;
  /** Attempts (claims) before a failing row is parked for a person (npm run nudge -- doctor). */
  maxAttempts: number;
}

/**
 * 5 s, 10 s, 20 s … 5 min: eight attempts span about 15 minutes, long enough for a database
 * failover or a deploy, short enough that a poison payload is parked (and shown by the doctor)
 * soon. Ingest takes milliseconds, so a minute's lease is only ever reached by a dead worker.
 */
export const INBOX_TIMING: InboxTiming = { leaseMs: 60_000, retryBaseMs: 5_000, retryCapMs: 300_000, maxAttempts: 8 };

export type InboxFailure = { state: "pending"; availableAt: Date } | { state: "parked" };

/**
 * What to record after failed attempt number `attempts` (1 for the first). A payload that can
 * never succeed (`permanent`: its JSON or schema is bad) is parked at once. Pure.
 */
export function inboxFailure(attempts: number, now: Date, timing: InboxTiming, permanent = false): InboxFailure {
  if (permanent || attempts >= timing.maxAttempts) return { state: "parked" };
  const delay = Math.min(timing.retryBaseMs * 2 ** Math.min(attempts - 1, 30), timing.retryCapMs);
  return { state: "pending", availableAt: new Date(now.getTime() + delay) };
}
