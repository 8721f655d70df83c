import { describe, expect, it } from "vitest";
import { USAGE_CHARGE_TIMING, usageChargeOutcome } from "./charge-outcome";

const now = new Date("2026-12-06T12:00:00Z");

describe("usageChargeOutcome", () => {
  it("records a charge Shopify took", () => {
    expect(usageChargeOutcome({ ok: true, recordId: "gid://shopify/AppUsageRecord/1", balance: null }, 1, now)).toEqual({ status: "charged", recordId: "gid://shopify/AppUsageRecord/1" });
  });

  it("holds a charge refused for the cap, however many attempts it took, rather than give it up", () => {
    expect(usageChargeOutcome({ ok: false, retry: "cap", message: "Total price exceeds balance remaining" }, USAGE_CHARGE_TIMING.maxAttempts, now)).toEqual({
      status: "held",
      lastError: "Total price exceeds balance remaining",
    });
  });

  it("backs off after a failure and parks the charge after the last attempt", () => {
    expect(usageChargeOutcome({ ok: false, retry: "backoff", message: "502" }, 1, now)).toEqual({
      status: "pending",
      nextAttemptAt: new Date(now.getTime() + 30_000),
      countAttempt: true,
      lastError: "502",
    });
    expect(usageChargeOutcome({ ok: false, retry: "backoff", message: "502" }, USAGE_CHARGE_TIMING.maxAttempts, now)).toEqual({ status: "failed", lastError: "502" });
  });
});
