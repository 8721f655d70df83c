import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { log } from "../lib/log.server";

/**
 * The raw SQL surface the migration runner (and, later, hot-path statements) need, over
 * either PGlite or node-postgres. Prisma sits beside it on the same connection source.
 */
export interface SqlDriver {
  readonly kind: "pglite" | "postgres";
  /** Runs a script of one or more statements without parameters. */
  exec(sql: string): Promise<void>;
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs fn in one transaction on one connection; rolls back if it throws. */
  transaction<T>(fn: (tx: SqlTx) => Promise<T>): Promise<T>;
  /**
   * Calls `onNotify` for each NOTIFY on `channel` (a fixed identifier, never user input) until
   * the returned function is called. On PostgreSQL a connection of its own listens, outside the
   * pool, and reconnects after a drop (calling `onNotify` once then, for what it may have missed).
   */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** What a function running inside a transaction may do. */
export type SqlTx = Pick<SqlDriver, "exec" | "query">;

export function pgliteDriver(db: PGlite): SqlDriver {
  return {
    kind: "pglite",
    exec: async (sql) => void (await db.exec(sql)),
    query: async <Row>(sql: string, params?: unknown[]) => (await db.query<Row>(sql, params)).rows,
    transaction: (fn) =>
      db.transaction((tx) =>
        fn({
          exec: async (sql) => void (await tx.exec(sql)),
          query: async <Row>(sql: string, params?: unknown[]) => (await tx.query<Row>(sql, params)).rows,
        }),
      ),
    listen: (channel, onNotify) => db.listen(channel, () => onNotify()),
    close: () => db.close(),
  };
}

/**
 * Names for the statements run inside transactions: the hot write paths (webhook ingest,
 * dispatch), whose texts are fixed. node-postgres prepares a named statement once per
 * connection and then only binds and executes it, so PostgreSQL stops parsing and planning
 * the same text on every call (https://node-postgres.com/features/queries#prepared-statements).
 * A text first seen after the limit stays unnamed, so generated texts can't grow this (or each
 * connection's prepared statements) without bound.
 */
const statementNames = new Map<string, string>();
const MAX_NAMED_STATEMENTS = 500;

export function preparedQuery(text: string, values: unknown[] | undefined): pg.QueryConfig {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < MAX_NAMED_STATEMENTS) {
    name = `nudge_${statementNames.size}`;
    statementNames.set(text, name);
  }
  return { text, values, name };
}

export function postgresDriver(pool: pg.Pool): SqlDriver {
  return {
    kind: "postgres",
    exec: async (sql) => void (await pool.query(sql)),
    query: async <Row>(sql: string, params?: unknown[]) => (await pool.query(sql, params)).rows as Row[],
    async transaction(fn) {
      const client = await pool.connect();
      // A connection that drops mid-transaction (a PostgreSQL restart) emits "error" on the
      // client, which would crash the process without a listener; the query in flight fails
      // anyway, and the broken client is discarded below instead of going back to the pool.
      const lost = (error: Error) => log.warn("PostgreSQL connection lost during a transaction", { error });
      client.on("error", lost);
      let broken: Error | undefined;
      try {
        await client.query("BEGIN");
        const result = await fn({
          exec: async (sql) => void (await client.query(sql)),
          query: async <Row>(sql: string, params?: unknown[]) => (await client.query(preparedQuery(sql, params))).rows as Row[],
        });
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch((failed: Error) => (broken = failed));
        throw error;
      } finally {
        client.off("error", lost);
        client.release(broken);
      }
    },
    listen: (channel, onNotify) => listenOnOwnConnection(pool, channel, onNotify),
    close: () => pool.end(),
  };
}

const RELISTEN_AFTER_MS = 1_000;

/**
 * LISTEN needs a session that stays open, so it can't borrow a pooled connection: it gets a
 * client of its own with the pool's settings (https://node-postgres.com/apis/client, the
 * "notification" event). The first connect's error is thrown; later drops are retried every
 * second until unlistened.
 */
async function listenOnOwnConnection(pool: pg.Pool, channel: string, onNotify: () => void): Promise<() => Promise<void>> {
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const connect = async () => {
    const next = new pg.Client(pool.options);
    next.on("notification", (message) => message.channel === channel && onNotify());
    next.on("error", (error) => {
      log.warn("PostgreSQL LISTEN connection lost; listening again shortly", { error, channel });
      if (client === next) client = null;
      next.end().catch(() => undefined);
      scheduleRetry();
    });
    await next.connect();
    await next.query(`LISTEN "${channel}"`);
    if (stopped) return void (await next.end().catch(() => undefined));
    client = next;
  };
  const scheduleRetry = () => {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect().then(onNotify, (error: unknown) => {
        log.warn("PostgreSQL LISTEN reconnect failed", { error, channel });
        scheduleRetry();
      });
    }, RELISTEN_AFTER_MS);
    retry.unref?.();
  };
  try {
    await connect();
  } catch (error) {
    stopped = true;
    clearTimeout(retry);
    throw error;
  }
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await client?.end().catch(() => undefined);
    client = null;
  };
}
