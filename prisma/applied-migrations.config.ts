// Prisma CLI configuration for `npm run db:migration`: an in-memory PGlite with every
// migration in prisma/migrations applied, so the CLI can introspect the schema the
// migrations produce and diff it against schema.prisma. (`migrate diff --from-migrations`
// needs a shadow database, which fails through the PGlite adapter.)
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";
import type { PrismaConfig } from "prisma";

const MIGRATIONS = "prisma/migrations";

export default {
  experimental: { adapter: true },
  engine: "js",
  schema: "schema.prisma", // relative to this file
  async adapter() {
    const pg = new PGlite();
    const folders = readdirSync(MIGRATIONS, { withFileTypes: true }).filter((entry) => entry.isDirectory());
    for (const name of folders.map((entry) => entry.name).sort()) {
      await pg.exec(readFileSync(join(MIGRATIONS, name, "migration.sql"), "utf8"));
    }
    // Typed against an older driver-adapter-utils; see app/db/open-database.server.ts.
    return new PrismaPGlite(pg) as unknown as SqlMigrationAwareDriverAdapterFactory;
  },
} satisfies PrismaConfig;
