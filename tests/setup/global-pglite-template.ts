import { resolve } from "node:path";
import { readMigrations } from "../../app/db/migrate.server";
import { migratedPgliteTemplate } from "../support/pglite-template";

// Creating and migrating an in-memory PGlite costs each test file about five seconds of CPU;
// loading one migrated template made here costs under a third of that (ADR 001, amendment).
// Not on PostgreSQL: there each file gets its own schema, and migrates it.
export default async function setup() {
  if (process.env.DATABASE_URL) return;
  process.env.NUDGE_PGLITE_MEMORY_TEMPLATE ??= await migratedPgliteTemplate(await readMigrations(resolve("prisma/migrations")));
}
