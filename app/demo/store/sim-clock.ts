/** The app's accelerated clock as seen from outside: what /demo/clock reports, kept in step. */
export interface SimClock {
  scale: number;
  now(): number;
  /** Resolves when the app's clock reaches `at` (ms). */
  until(at: number): Promise<void>;
}

/**
 * Reads the app's clock over HTTP and follows it: simulated now = the app's answer plus
 * real time since, times the scale. Of a few reads, the quickest round trip wins, which puts
 * the error at a few simulated seconds even at thousands of times real speed.
 */
export async function followAppClock(appUrl: string): Promise<SimClock> {
  let best: { rtt: number; at: number; real: number; scale: number } | null = null;
  for (let i = 0; i < 5; i++) {
    const sent = Date.now();
    const reading = (await (await fetch(new URL("/demo/clock", appUrl))).json()) as { now: string; scale: number };
    const received = Date.now();
    if (!best || received - sent < best.rtt) best = { rtt: received - sent, at: Date.parse(reading.now), real: (sent + received) / 2, scale: reading.scale };
  }
  const { at, real, scale } = best!;
  const now = () => at + (Date.now() - real) * scale;
  return {
    scale,
    now,
    until: (target) => new Promise((resolve) => setTimeout(resolve, Math.max(0, (target - now()) / scale))),
  };
}
