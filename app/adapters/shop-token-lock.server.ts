import { database } from "../db.server";
import type { SqlTx } from "../db/sql-driver.server";

// On globalThis, as db.server.ts keeps the database: the production build holds two copies of
// this module in one process (the Remix build's and npm start's entry with the in-process
// dispatcher), and both must queue on the same map.
const holder = globalThis as typeof globalThis & { __nudgeTokenQueues?: Map<string, Promise<unknown>> };
const localQueues = (holder.__nudgeTokenQueues ??= new Map<string, Promise<unknown>>());

/**
 * Runs `fn` while holding the shop's token lock, so that only one caller renews a shop's
 * offline token at a time: Shopify rotates the refresh token on every use, and the loser of a
 * race would store a dead one.
 *
 * On PostgreSQL: a transaction-level advisory lock per shop (every process, every worker),
 * released when `fn`'s transaction ends, after its writes are committed.
 * On PGlite (one process by construction: the worker refuses it) an in-process queue per shop,
 * shared by every copy of this module in the process, does the same; holding PGlite's only connection through a call to Shopify would stall every
 * other query meanwhile.
 */
export async function withShopTokenLock<T>(shop: string, fn: (tx: SqlTx) => Promise<T>): Promise<T> {
  const { sql } = await database();
  if (sql.kind === "postgres") {
    return sql.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`nudge:offline-token:${shop}`]);
      return fn(tx);
    });
  }
  const previous = localQueues.get(shop) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => fn(sql));
  const tail = run.catch(() => undefined);
  localQueues.set(shop, tail);
  try {
    return await run;
  } finally {
    if (localQueues.get(shop) === tail) localQueues.delete(shop);
  }
}
