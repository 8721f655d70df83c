/**
 * Sizes of the reliability runs. The quick size runs in `npm test` (each file well under a
 * minute); NUDGE_RELIABILITY=full (`npm run test:reliability`) runs thousands of messages and
 * many kills. PGlite runs smaller: every restart of its single-owner database is slow.
 */
export const FULL_RUN = process.env.NUDGE_RELIABILITY === "full";
const POSTGRES = Boolean(process.env.DATABASE_URL);

export const SIZES = FULL_RUN
  ? {
      crashMessages: POSTGRES ? 3_000 : 1_000,
      crashKills: POSTGRES ? 30 : 10,
      ingestCheckouts: POSTGRES ? 1_000 : 400,
      ingestKills: POSTGRES ? 12 : 5,
      raceRounds: 60,
      twoDispatcherMessages: 2_000,
      permutationRuns: 200,
    }
  : {
      crashMessages: POSTGRES ? 300 : 120,
      crashKills: POSTGRES ? 2 : 1,
      ingestCheckouts: POSTGRES ? 120 : 60,
      ingestKills: 1,
      raceRounds: 8,
      twoDispatcherMessages: 200,
      permutationRuns: 12,
    };

export const sizeName = FULL_RUN ? "full" : "quick";
export const databaseKind = POSTGRES ? "postgres" : "pglite";

/**
 * The process-kill tests run on PGlite only in the full run: it survives SIGKILL (its data
 * folder recovers on the next open, verified), but each restart reopens the embedded database
 * and took 20-40 s on a loaded 2-core machine, too slow for `npm test`.
 */
export const KILL_TESTS_SKIPPED = !FULL_RUN && !POSTGRES;
export function explainKillTestSkip(test: string): void {
  if (KILL_TESTS_SKIPPED) console.log(`[reliability] ${test} skipped on PGlite in the quick run (each restart of the embedded database takes 20-40 s); NUDGE_RELIABILITY=full runs it`);
}
