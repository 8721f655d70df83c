import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { openDatabase, type Database } from "../../app/db/open-database.server";

/**
 * A throwaway database for one scenario: its own schema on the PostgreSQL server when
 * DATABASE_URL is set, otherwise a PGlite folder in the temp dir. `env` is what a child
 * process (server, worker) needs to open the same database.
 */
export interface BenchDatabase {
  kind: "postgres" | "pglite";
  env: Record<string, string>;
  /** Opens and migrates it. With PGlite, close it before a child process opens the folder. */
  open(): Promise<Database>;
  drop(): Promise<void>;
}

export function postgresUrl(): string | undefined {
  return process.env.DATABASE_URL || undefined;
}

export function describeDatabaseChoice(): string {
  const url = postgresUrl();
  if (!url) return "PGlite (embedded; DATABASE_URL is not set)";
  const safe = new URL(url);
  safe.password = "";
  return `PostgreSQL at ${safe.host}${safe.pathname}`;
}

export function createBenchDatabase(label: string): BenchDatabase {
  const url = postgresUrl();
  if (url) {
    const schema = `bench_${label}_${randomBytes(4).toString("hex")}`;
    return {
      kind: "postgres",
      env: { DATABASE_URL: url, DATABASE_SCHEMA: schema },
      open: () => openDatabase({ url, schema, dataDir: "memory://" }),
      async drop() {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        } finally {
          await client.end();
        }
      },
    };
  }
  const dataDir = mkdtempSync(join(tmpdir(), `nudge-bench-${label}-`));
  return {
    kind: "pglite",
    env: { NUDGE_DATA_DIR: dataDir },
    open: () => openDatabase({ dataDir }),
    drop: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}
