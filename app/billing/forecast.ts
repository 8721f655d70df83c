import { PERIOD_MS } from "./plan";

export interface SpendForecast {
  spentCents: number;
  capCents: number;
  /** Spend by the period's end at the pace so far. */
  projectedCents: number;
  /** When the cap is reached at that pace; null when not within the period. */
  capReachedAt: Date | null;
  periodStart: Date;
  periodEnd: Date;
}

/**
 * The meter: spend this period against the cap, and where the pace so far leads by the period's
 * end (a straight line from the period's start). The first hour counts as an hour, so one early
 * text doesn't project a fortune. Pure.
 */
export function spendForecast(input: { spentCents: number; capCents: number; periodEnd: Date; now: Date }): SpendForecast {
  const end = input.periodEnd.getTime();
  const start = end - PERIOD_MS;
  const now = Math.min(Math.max(input.now.getTime(), start), end);
  const elapsed = Math.max(now - start, 3_600_000);
  const perMs = input.spentCents / elapsed;
  const projectedCents = Math.round(input.spentCents + perMs * (end - now));
  let capReachedAt: Date | null = null;
  if (input.spentCents >= input.capCents) capReachedAt = new Date(now);
  else if (perMs > 0) {
    const at = now + (input.capCents - input.spentCents) / perMs;
    if (at <= end) capReachedAt = new Date(Math.round(at));
  }
  return { spentCents: input.spentCents, capCents: input.capCents, projectedCents, capReachedAt, periodStart: new Date(start), periodEnd: new Date(end) };
}
