import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { SqlDriver } from "./sql-driver.server";

export interface Migration {
  name: string;
  sql: string;
}

/** Reads prisma/migrations/<name>/migration.sql files, sorted by folder name. */
export async function readMigrations(dir: string): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(names.map(async (name) => ({ name, sql: await readFile(join(dir, name, "migration.sql"), "utf8") })));
}

// Any constant works; it only has to be the same for every process of this app.
const MIGRATION_LOCK_KEY = 7_294_311;

/**
 * Applies each migration not yet recorded in nudge_migrations, in order, each in its own
 * transaction. Safe to call at every start and from several processes at once: an advisory
 * lock serialises concurrent runners and the table makes reruns no-ops.
 *
 * We run migrations ourselves because `prisma migrate deploy` cannot go through a driver
 * adapter offline (docs/decisions/001-postgres-everywhere.md).
 */
export async function runMigrations(driver: SqlDriver, migrations: Migration[]): Promise<string[]> {
  await driver.exec(
    `CREATE TABLE IF NOT EXISTS nudge_migrations (
       name text PRIMARY KEY,
       applied_at timestamptz NOT NULL DEFAULT now()
     )`,
  );
  const applied: string[] = [];
  for (const migration of migrations) {
    const ran = await driver.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
      const done = await tx.query("SELECT 1 FROM nudge_migrations WHERE name = $1", [migration.name]);
      if (done.length > 0) return false;
      await tx.exec(migration.sql);
      await tx.query("INSERT INTO nudge_migrations (name) VALUES ($1)", [migration.name]);
      return true;
    });
    if (ran) applied.push(migration.name);
  }
  return applied;
}
