/**
 * A sliding-window counter: at most `limit` hits per key within `windowMs`. In-process, so
 * each web process counts on its own; enough to blunt a bot hammering one storefront.
 */
export function slidingWindowLimiter(limit: number, windowMs: number, clock: () => number = Date.now) {
  const hits = new Map<string, number[]>();
  return {
    /** Records a hit; false when the key is over its limit (the hit is not counted). */
    allow(key: string): boolean {
      const now = clock();
      const recent = (hits.get(key) ?? []).filter((t) => now - t < windowMs);
      if (recent.length >= limit) {
        hits.set(key, recent);
        return false;
      }
      recent.push(now);
      hits.set(key, recent);
      if (hits.size > 50_000) hits.clear();
      return true;
    },
  };
}
