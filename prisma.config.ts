// Prisma CLI configuration. The CLI talks to an in-memory PGlite through the driver
// adapter, so `prisma generate` and `prisma migrate diff` run with no engines downloaded
// and no database server. Migrations are applied by the app itself (app/db/migrate.server.ts).
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import type { PrismaConfig } from "prisma";

export default {
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  async adapter() {
    return new PrismaPGlite(new PGlite());
  },
} satisfies PrismaConfig;
