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
    close: () => pool.end(),
  };
}
