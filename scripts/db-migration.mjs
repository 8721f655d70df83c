#!/usr/bin/env node
// Prints the SQL that takes the database from what prisma/migrations builds to what
// prisma/schema.prisma describes: `npm run db:migration > prisma/migrations/<name>/migration.sql`.
// Two offline Prisma CLI steps: introspect the migrations' schema (applied to an in-memory
// PGlite by prisma/applied-migrations.config.ts), then diff it against schema.prisma.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// The schema's datasource names DATABASE_URL; the CLI only checks that it is set.
const env = { ...process.env, DATABASE_URL: process.env.DATABASE_URL ?? "postgresql://unused@localhost/unused" };

function prisma(args) {
  const run = spawnSync(process.execPath, ["scripts/prisma-offline.mjs", ...args], { env, encoding: "utf8" });
  if (run.status !== 0) {
    process.stderr.write(run.stdout + run.stderr);
    process.exit(run.status ?? 1);
  }
  return run.stdout;
}

const dir = mkdtempSync(join(tmpdir(), "nudge-migration-"));
try {
  const pulled = prisma(["db", "pull", "--print", "--config", "prisma/applied-migrations.config.ts"]);
  const start = pulled.indexOf("generator ");
  if (start < 0) throw new Error("prisma db pull printed no schema");
  const current = join(dir, "current.prisma");
  writeFileSync(current, pulled.slice(start));
  const diff = prisma(["migrate", "diff", "--from-schema-datamodel", current, "--to-schema-datamodel", "prisma/schema.prisma", "--script"]);
  process.stdout.write(diff.slice(diff.search(/^--/m)));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
