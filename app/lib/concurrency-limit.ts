/** Runs at most `limit` calls at once across every caller that shares it (a dispatcher tick's calls to Shopify). */
export type ConcurrencyLimit = <T>(fn: () => Promise<T>) => Promise<T>;

export function concurrencyLimit(limit: number): ConcurrencyLimit {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (fn) => {
    // A finished call hands its slot straight to the longest waiter, so a newcomer arriving
    // in between can't take it too.
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}
