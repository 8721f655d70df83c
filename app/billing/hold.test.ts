import { describe, expect, it } from "vitest";
import { billingHold, HOLD_RECHECK_MS, type PlanFacts } from "./hold";

const now = new Date("2026-12-06T12:00:00Z");
const active: PlanFacts = { status: "ACTIVE", cappedCents: 5000, usedCents: 1000, owedCents: 0, spendingLimitAt: null, currentPeriodEnd: new Date("2026-12-20T00:00:00Z") };
const hold = (plan: PlanFacts | null, extra: Partial<{ required: boolean; chargesUsage: boolean; nextChargeCents: number }> = {}) =>
  billingHold({ required: true, chargesUsage: true, plan, nextChargeCents: 2, now, ...extra });

describe("billingHold", () => {
  it("lets texts go for an active plan under its cap, and when no plan is required", () => {
    expect(hold(active)).toBeNull();
    expect(hold(null, { required: false })).toBeNull();
  });

  it("holds every text of a shop whose plan is missing or not active", () => {
    expect(hold(null)).toEqual({ reason: "billing_inactive", until: new Date(now.getTime() + HOLD_RECHECK_MS) });
    for (const status of ["PENDING", "DECLINED", "FROZEN", "CANCELLED", "EXPIRED"]) expect(hold({ ...active, status })?.reason).toBe("billing_inactive");
  });

  it("holds texts once Shopify refused a charge for the cap, until the period renews", () => {
    const limited = { ...active, spendingLimitAt: new Date("2026-12-06T11:00:00Z") };
    expect(hold(limited)?.reason).toBe("spending_limit");
    expect(hold({ ...limited, currentPeriodEnd: new Date("2026-12-06T11:30:00Z") })).toBeNull();
    // Looked at again when the period ends, if that is sooner than the usual recheck.
    expect(hold({ ...limited, currentPeriodEnd: new Date("2026-12-06T12:05:00Z") })?.until).toEqual(new Date("2026-12-06T12:05:00Z"));
  });

  it("holds the text that would take what is owed past the cap, before Shopify has to refuse it", () => {
    expect(hold({ ...active, usedCents: 4990, owedCents: 8 })).toBeNull();
    expect(hold({ ...active, usedCents: 4990, owedCents: 9 })?.reason).toBe("spending_limit");
  });

  it("never holds a shop on its own Twilio account for the cap", () => {
    expect(hold({ ...active, spendingLimitAt: now }, { chargesUsage: false })).toBeNull();
  });
});
