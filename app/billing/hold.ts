/** Why a shop's texts wait for billing (the outbox's reason, like quiet_hours). */
type BillingHoldReason = "billing_inactive" | "spending_limit";

export interface BillingHold {
  reason: BillingHoldReason;
  /** When the text is looked at again (nothing is lost by waiting: a change of plan wakes it). */
  until: Date;
}

/** What the dispatcher knows of the shop's plan, read under the chunk's locks. */
export interface PlanFacts {
  status: string;
  cappedCents: number | null;
  /** Shopify's balanceUsed for the period, as last seen. */
  usedCents: number | null;
  /** Charges written but not yet taken by Shopify (pending or held). */
  owedCents: number;
  spendingLimitAt: Date | null;
  currentPeriodEnd: Date | null;
}

/** Held texts are looked at again this often; a plan change wakes them sooner (plan-state.server.ts). */
export const HOLD_RECHECK_MS = 15 * 60_000;

/**
 * Whether a shop's texts must wait for billing (docs/decisions/023-billing.md). A shop that needs
 * a plan and has no active one waits (`billing_inactive`). A shop charged per text waits
 * (`spending_limit`) once Shopify refused a charge for the cap in this period, or when what it
 * already owes plus one more segment would pass the cap: texts are neither dropped nor sent free.
 * A wait is a deferral, so a cart text still in its window goes later and one past it is skipped
 * by the guards with the usual reason. Pure.
 */
export function billingHold(input: { required: boolean; chargesUsage: boolean; plan: PlanFacts | null; nextChargeCents: number; now: Date }): BillingHold | null {
  const { plan, now } = input;
  if (!input.required) return null;
  const recheck = new Date(now.getTime() + HOLD_RECHECK_MS);
  if (!plan || plan.status !== "ACTIVE") return { reason: "billing_inactive", until: recheck };
  if (!input.chargesUsage) return null;
  const periodEnd = plan.currentPeriodEnd?.getTime() ?? null;
  const inPeriod = periodEnd === null || now.getTime() < periodEnd;
  const until = periodEnd !== null && periodEnd > now.getTime() && periodEnd < recheck.getTime() ? new Date(periodEnd) : recheck;
  if (plan.spendingLimitAt && inPeriod) return { reason: "spending_limit", until };
  if (plan.cappedCents !== null && (plan.usedCents ?? 0) + plan.owedCents + input.nextChargeCents > plan.cappedCents) return { reason: "spending_limit", until };
  return null;
}
