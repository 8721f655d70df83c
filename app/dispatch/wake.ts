/**
 * How long an idle dispatcher sleeps (issue #23, item 3): until the next scheduled text falls
 * due, but never less than `minGapMs` (a burst of due texts is claimed in batches, not one
 * claim per text) and never more than `pollMs` (the fallback that finds what no NOTIFY told it
 * about, e.g. when the listening connection is down). A NOTIFY ends the sleep early.
 */
export function idleSleepMs(options: { now: number; nextDueAt: number | null; pollMs: number; minGapMs: number }): number {
  const { now, nextDueAt, pollMs, minGapMs } = options;
  if (nextDueAt === null) return pollMs;
  return Math.min(pollMs, Math.max(minGapMs, nextDueAt - now));
}

/** The NOTIFY channel of texts written due before the dispatcher's next poll (migration 0009). */
export const DUE_CHANNEL = "nudge_due";
