import { openDatabase, type Database } from "./db/open-database.server";
import { env } from "./env.server";

// No top-level await: it breaks the Vite server build. Loaders and actions await database().
// Kept on globalThis so Vite's dev server, which reloads modules on every edit, doesn't open
// a second PGlite on the same files.
const holder = globalThis as typeof globalThis & { __nudgeDatabase?: Promise<Database> };

/** The app's database, opened and migrated on first use. */
export function database(): Promise<Database> {
  holder.__nudgeDatabase ??= openDatabase({
    url: env().DATABASE_URL,
    schema: env().DATABASE_SCHEMA,
    dataDir: env().NUDGE_DATA_DIR,
    memoryTemplate: env().NUDGE_PGLITE_MEMORY_TEMPLATE,
  }).catch((error: unknown) => {
    holder.__nudgeDatabase = undefined;
    throw error;
  });
  return holder.__nudgeDatabase;
}

export async function closeDatabase(): Promise<void> {
  const open = holder.__nudgeDatabase;
  holder.__nudgeDatabase = undefined;
  if (open) await (await open).close();
}
