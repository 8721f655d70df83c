import type { PrismaClient } from "@prisma/client";
import { openDatabase, type Database } from "./db/open-database.server";
import { env } from "./env.server";

// No top-level await: it breaks the Vite server build. Loaders and actions await db().
let opening: Promise<Database> | undefined;

/** The app's database, opened and migrated on first use. */
export function database(): Promise<Database> {
  opening ??= openDatabase({
    url: env().DATABASE_URL,
    schema: env().DATABASE_SCHEMA,
    dataDir: env().NUDGE_DATA_DIR,
  }).catch((error: unknown) => {
    opening = undefined;
    throw error;
  });
  return opening;
}

export async function db(): Promise<PrismaClient> {
  return (await database()).prisma;
}

export async function closeDatabase(): Promise<void> {
  const open = opening;
  opening = undefined;
  if (open) await (await open).close();
}
