// Prisma CLI configuration. The CLI talks to an in-memory PGlite through the driver
// adapter, so `prisma generate` and `prisma migrate diff` run with no engines downloaded
// and no database server. Migrations are applied by the app itself (app/db/migrate.server.ts).
import { PGlite } from "@electric-sql/pglite";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";
import type { PrismaConfig } from "prisma";

export default {
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  async adapter() {
    // Typed against an older driver-adapter-utils; see app/db/open-database.server.ts.
    return new PrismaPGlite(new PGlite()) as unknown as SqlMigrationAwareDriverAdapterFactory;
  },
} satisfies PrismaConfig;
