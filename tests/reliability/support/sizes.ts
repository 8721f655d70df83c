/**
 * Sizes of the reliability runs. The quick size runs in `npm test` (each file well under a
 * minute); NUDGE_RELIABILITY=full (`npm run test:reliability`) runs thousands of messages and
 * many kills. PGlite runs smaller: every restart of its single-owner database is slow.
 */
export const FULL_RUN = process.env.NUDGE_RELIABILITY === "full";
const POSTGRES = Boolean(process.env.DATABASE_URL);

// Each size in four columns: the quick run on PGlite, on PostgreSQL; the full run on PGlite, on PostgreSQL.
const SIZE_TABLE = {
  crashMessages: [120, 300, 1_000, 3_000],
  crashKills: [1, 2, 10, 30],
  ingestCheckouts: [60, 120, 400, 1_000],
  ingestKills: [1, 1, 5, 12],
  raceRounds: [8, 8, 60, 60],
  twoDispatcherMessages: [200, 200, 2_000, 2_000],
  permutationRuns: [12, 12, 200, 200],
} satisfies Record<string, [number, number, number, number]>;
const COLUMN = (FULL_RUN ? 2 : 0) + (POSTGRES ? 1 : 0);

export const SIZES = Object.fromEntries(Object.entries(SIZE_TABLE).map(([name, sizes]) => [name, sizes[COLUMN]!])) as Record<keyof typeof SIZE_TABLE, number>;

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
