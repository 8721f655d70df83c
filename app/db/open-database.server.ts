import { mkdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";
import pg from "pg";
import { readMigrations, runMigrations } from "./migrate.server";
import { pgliteDriver, postgresDriver, type SqlDriver } from "./sql-driver.server";
import { log } from "../lib/log.server";

export interface DatabaseConfig {
  /** A postgres:// URL; when absent the embedded PGlite is used. */
  url?: string;
  /** Postgres schema (created if missing). Default: public. */
  schema?: string;
  /** PGlite folder, or "memory://". */
  dataDir: string;
  migrationsDir?: string;
  /**
   * A tarball of a PGlite data directory (PGlite's `dumpDataDir("none")`) that an in-memory
   * PGlite starts from instead of an empty cluster. Ignored for a PGlite folder and for
   * PostgreSQL. Migrations still run over it, so a template that is behind applies the rest.
   * The test setup passes one migrated template per run (tests/setup/global-pglite-template.ts):
   * loading it costs a test file a third of creating and migrating a cluster (ADR 001).
   */
  memoryTemplate?: string;
}

export interface Database {
  prisma: PrismaClient;
  sql: SqlDriver;
  /** Human-readable, without credentials. */
  description: string;
  close(): Promise<void>;
}

/** Connections a process keeps to the PostgreSQL server (the dashboard runs ten aggregates side by side). */
export const POOL_SIZE = 10;

/**
 * Opens `connections` pool connections now (each runs a trivial query), so the first request,
 * dashboard or due text doesn't wait for new PostgreSQL backends. On PGlite, one connection
 * answers them all.
 */
export async function warmPool(sql: SqlDriver, connections = POOL_SIZE): Promise<void> {
  await Promise.all(Array.from({ length: connections }, () => sql.query("SELECT 1")));
}

/** Opens PostgreSQL (server or embedded), applies pending migrations and returns clients. */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  const { prisma, sql, description } = config.url ? await openPostgres(config.url, config.schema) : await openPglite(config.dataDir, config.memoryTemplate);
  try {
    await runMigrations(sql, await readMigrations(config.migrationsDir ?? resolve("prisma/migrations")));
  } catch (error) {
    await sql.close().catch(() => undefined);
    throw error;
  }
  return {
    prisma,
    sql,
    description,
    async close() {
      await prisma.$disconnect();
      await sql.close();
    },
  };
}

async function openPglite(dataDir: string, memoryTemplate: string | undefined) {
  const inMemory = dataDir === "memory://";
  const path = inMemory ? undefined : join(resolve(dataDir), "pglite");
  if (path) mkdirSync(path, { recursive: true });
  const template = inMemory && memoryTemplate ? new Blob([await readFile(memoryTemplate)]) : undefined;
  const db = template ? new PGlite({ loadDataDir: template }) : new PGlite(path);
  return {
    prisma: new PrismaClient({ adapter: pgliteAdapter(db) }),
    sql: pgliteDriver(db),
    description: inMemory ? "PGlite (in memory)" : `PGlite at ${path}`,
  };
}

/**
 * pglite-prisma-adapter 0.6 is typed against @prisma/driver-adapter-utils 6.10 while the
 * client is 6.19; the runtime contract is the same (0.7 needs Prisma 7), so only the
 * declared types differ.
 */
function pgliteAdapter(db: PGlite): SqlDriverAdapterFactory {
  return new PrismaPGlite(db) as unknown as SqlDriverAdapterFactory;
}

async function openPostgres(url: string, schema = "public") {
  const safeUrl = new URL(url);
  safeUrl.password = "";
  if (schema !== "public") {
    // Create the schema on a throwaway connection so the pool can default to it.
    const setup = new pg.Client({ connectionString: url });
    await setup.connect();
    try {
      await setup.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    } finally {
      await setup.end();
    }
  }
  // jit = off: the app's queries, the dashboard's aggregates included, run in milliseconds to a
  // few hundred, where JIT compilation costs more than it saves (docs/benchmarks.md;
  // https://www.postgresql.org/docs/current/jit-decision.html).
  // max_parallel_workers_per_gather = 0: the app's concurrency is its own (requests, the
  // dashboard's ten aggregates side by side, dispatch chunks); parallel workers on top start
  // processes and build their hash tables each, contending for the same cores (ADR 010
  // amendment; postgresql.org/docs/current/when-can-parallel-query-be-used.html).
  const pool = new pg.Pool({
    connectionString: url,
    options: `-c search_path="${schema}" -c jit=off -c max_parallel_workers_per_gather=0`,
    max: POOL_SIZE,
    // node-postgres closes a connection idle for 10 s by default; the next burst of webhooks
    // then paid for new backends and re-prepared statements, a slow first few seconds (ADR 003),
    // and a dashboard opened after a quiet spell opened its ten aggregates' backends first
    // (docs/benchmarks.md, 7 Dec 2026). Opened connections stay open (min = max); warmPool opens
    // them at start.
    min: POOL_SIZE,
    idleTimeoutMillis: 300_000,
  });
  // An idle connection that drops (PostgreSQL restarting) is an "error" event on the pool,
  // which crashes the process unless handled (node-postgres.com/apis/pool#events). The pool
  // has already discarded the client; the next query opens a new connection.
  pool.on("error", (error) => log.warn("PostgreSQL dropped an idle connection", { error }));
  return {
    prisma: new PrismaClient({ adapter: new PrismaPg(pool, { schema }) }),
    sql: postgresDriver(pool),
    description: `PostgreSQL at ${safeUrl.host}${safeUrl.pathname} (schema ${schema})`,
  };
}
