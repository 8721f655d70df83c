/**
 * When a dispatcher runs its housekeeping (pruning old webhook ids, inbox rows and storefront
 * visitors, and the dashboard rollups' hourly refresh, ADR 010): hourly, but the first run comes
 * a random one to five minutes after the process starts, not in its first tick (ADR 011,
 * amendment of 7 Dec 2026). A process starts when texts may already be due (a deploy, a crash,
 * a scale-up), and none of this work is urgent: a first refresh of every shop's 30 days took
 * one of two cores for seconds in the send-lag benchmark's first second. Workers started
 * together also spread their runs instead of all taking the rollups' locks at once.
 */
export const HOUSEKEEPING_EVERY_MS = 3_600_000;
export const FIRST_HOUSEKEEPING_AFTER_MS = { least: 60_000, most: 300_000 };

/** The time (epoch ms) of a process's first housekeeping; `random` in [0, 1), e.g. Math.random(). */
export function firstHousekeepingAt(startedAt: number, random: number): number {
  const { least, most } = FIRST_HOUSEKEEPING_AFTER_MS;
  return startedAt + least + Math.floor(random * (most - least));
}
