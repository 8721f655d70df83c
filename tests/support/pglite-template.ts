import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { rename, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { runMigrations, type Migration } from "../../app/db/migrate.server";
import { pgliteDriver } from "../../app/db/sql-driver.server";

// The package doesn't export its package.json; its entry sits in dist/, one level below it.
const pglitePackage = join(dirname(createRequire(import.meta.url).resolve("@electric-sql/pglite")), "..", "package.json");
const pgliteVersion: string = JSON.parse(readFileSync(pglitePackage, "utf8")).version;

/** Names a template by what it holds: PGlite's version and every migration's name and text. */
export function templateKey(migrations: Migration[]): string {
  const hash = createHash("sha256").update(`pglite ${pgliteVersion}\n`);
  for (const { name, sql } of migrations) hash.update(`${name}\n${sql.length}\n${sql}`);
  return hash.digest("hex").slice(0, 16);
}

/**
 * The path of a PGlite data-dir tarball with `migrations` applied, made once and kept in the
 * temp dir under its key (a changed migration makes a new one). Each test file's in-memory
 * PGlite starts from it (DatabaseConfig.memoryTemplate); its own migration run is then a no-op.
 */
export async function migratedPgliteTemplate(migrations: Migration[], dir = join(tmpdir(), "nudge-pglite-template")): Promise<string> {
  const path = join(dir, `${templateKey(migrations)}.tar`);
  if (existsSync(path)) return path;
  mkdirSync(dir, { recursive: true });
  const db = new PGlite();
  try {
    await runMigrations(pgliteDriver(db), migrations);
    // Flushed, so a PGlite loading the dump has no WAL to replay.
    await db.exec("CHECKPOINT");
    const tarball = await db.dumpDataDir("none");
    // Written aside and renamed: runs side by side never read half a file.
    const partial = `${path}.${process.pid}.partial`;
    await writeFile(partial, Buffer.from(await tarball.arrayBuffer()));
    await rename(partial, path);
  } finally {
    await db.close();
  }
  return path;
}
