/**
 * Sizes of the reliability runs. The quick size runs in `npm test` (each file well under a
 * minute); NUDGE_RELIABILITY=full (`npm run test:reliability`) runs thousands of messages and
 * many kills. PGlite runs smaller: every restart of its single-owner database is slow.
 */
export const FULL_RUN = process.env.NUDGE_RELIABILITY === "full";
const POSTGRES = Boolean(process.env.DATABASE_URL);

export const SIZES = FULL_RUN
  ? {
      crashMessages: POSTGRES ? 4_000 : 1_000,
      crashKills: POSTGRES ? 40 : 10,
      ingestCheckouts: POSTGRES ? 1_500 : 400,
      ingestKills: POSTGRES ? 15 : 5,
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
