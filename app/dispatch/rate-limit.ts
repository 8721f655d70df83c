/**
 * Spaces texts per sender: at most `perSecond` start each second (10DLC allows 12–225/s by
 * brand score, toll-free 3/s). In-process: with several workers, give each its share.
 * The dispatcher reserves slots before it opens a transaction, never while it holds a lock.
 */
export function createRateLimiter(clock: () => number = Date.now) {
  const nextFree = new Map<string, number>();
  const starts = new Map<string, number[]>();
  return {
    /**
     * Reserves `count` consecutive slots of `sender` and resolves when the first one starts.
     * The caller may send those `count` texts at once from then on: a burst of `count`, after
     * which the sender's next slot is `count / perSecond` seconds later.
     */
    async reserve(sender: string, perSecond: number, count = 1): Promise<void> {
      const now = clock();
      const slot = Math.max(now, nextFree.get(sender) ?? 0);
      nextFree.set(sender, slot + (count * 1000) / perSecond);
      if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
    },
    /**
     * How many of `count` texts may start now, recorded as started: at most `perSecond` (at
     * least one) in any trailing second. Checked right before sending, inside the transaction,
     * so it never waits: the reservation above spaced the texts, and this catches the ones a
     * slow transaction bunched together; the caller defers the rest.
     */
    start(sender: string, perSecond: number, count: number): number {
      const now = clock();
      const recent = (starts.get(sender) ?? []).filter((t) => t > now - 1000);
      const allowed = Math.max(0, Math.min(count, Math.max(1, Math.floor(perSecond)) - recent.length));
      for (let i = 0; i < allowed; i++) recent.push(now);
      starts.set(sender, recent);
      return allowed;
    },
  };
}
export type RateLimiter = ReturnType<typeof createRateLimiter>;

/** Texts sent together may start at once: at most 20 ms of the sender's rate, at least one. */
export function burstFor(perSecond: number, most: number): number {
  return Math.max(1, Math.min(most, Math.floor(perSecond / 50)));
}
