import { describe, expect, it } from "vitest";
import { CONSENT_SYNC_TIMING, consentSyncOutcome } from "./retry";

const now = new Date("2026-11-24T15:00:00Z");
const later = (ms: number) => new Date(now.getTime() + ms);
const failure = { ok: false, retry: "backoff", message: "502" } as const;

describe("consentSyncOutcome", () => {
  it("marks a change Shopify took as synced", () => {
    expect(consentSyncOutcome({ ok: true }, 1, now, CONSENT_SYNC_TIMING)).toEqual({ status: "synced" });
  });

  it("backs off exponentially from 30 s, capped at an hour", () => {
    const delays = [1, 2, 3, 8, 9].map((attempt) => (consentSyncOutcome(failure, attempt, now, { ...CONSENT_SYNC_TIMING, maxAttempts: 99 }) as { nextAttemptAt: Date }).nextAttemptAt);
    expect(delays).toEqual([later(30_000), later(60_000), later(120_000), later(3_600_000), later(3_600_000)]);
  });

  it("parks the row as failed, with the error, after the last attempt", () => {
    expect(consentSyncOutcome(failure, CONSENT_SYNC_TIMING.maxAttempts - 1, now, CONSENT_SYNC_TIMING)).toMatchObject({ status: "pending", lastError: "502" });
    expect(consentSyncOutcome(failure, CONSENT_SYNC_TIMING.maxAttempts, now, CONSENT_SYNC_TIMING)).toEqual({ status: "failed", lastError: "502" });
  });

  it("gives up at once on a change Shopify refused", () => {
    expect(consentSyncOutcome({ ok: false, retry: "never", message: "Customer does not exist" }, 1, now, CONSENT_SYNC_TIMING)).toEqual({
      status: "failed",
      lastError: "Customer does not exist",
    });
  });

  it("does not count a wait for the merchant to re-authorise as an attempt, however long it lasts", () => {
    expect(consentSyncOutcome({ ok: false, retry: "after_reauth", message: "needs_reauth" }, CONSENT_SYNC_TIMING.maxAttempts, now, CONSENT_SYNC_TIMING)).toEqual({
      status: "pending",
      nextAttemptAt: now,
      countAttempt: false,
      lastError: "needs_reauth",
    });
  });
});
