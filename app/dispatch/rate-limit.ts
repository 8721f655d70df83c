/**
 * Spaces texts per sender: at most `perSecond` start each second (10DLC allows 12–225/s by
 * brand score, toll-free 3/s). In-process: with several workers, give each its share.
 */
export function createRateLimiter(clock: () => number = Date.now) {
  const nextFree = new Map<string, number>();
  return {
    /** Resolves when `sender` may send the next text. */
    async acquire(sender: string, perSecond: number): Promise<void> {
      const now = clock();
      const slot = Math.max(now, nextFree.get(sender) ?? 0);
      nextFree.set(sender, slot + 1000 / perSecond);
      if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
    },
  };
}
export type RateLimiter = ReturnType<typeof createRateLimiter>;
