import { describe, expect, it } from "vitest";
import { database } from "~/db.server";
import { openDatabase, POOL_SIZE, warmPool } from "~/db/open-database.server";

describe("the SQL driver's transactions", () => {
  it.runIf(process.env.DATABASE_URL)("prepare each statement once per connection on PostgreSQL (parsed and planned once, then only executed)", async () => {
    const { sql } = await database();
    const text = "SELECT count(*)::int AS n FROM shop WHERE domain = $1";
    const prepared = await sql.transaction(async (tx) => {
      await tx.query(text, ["a.myshopify.com"]);
      await tx.query(text, ["b.myshopify.com"]);
      return tx.query<{ name: string }>(`SELECT name, statement FROM pg_prepared_statements WHERE statement = $1`, [text]);
    });
    expect(prepared).toHaveLength(1);
    expect(prepared[0]!.name).toMatch(/^nudge_\d+$/);
  });

  it.runIf(process.env.DATABASE_URL)("run the app's queries without JIT or parallel workers on PostgreSQL (ADR 010)", async () => {
    const { sql } = await database();
    const settings = await sql.query<{ jit: string; workers: string }>(`SELECT current_setting('jit') AS jit, current_setting('max_parallel_workers_per_gather') AS workers`);
    expect(settings).toEqual([{ jit: "off", workers: "0" }]);
  });

  it.runIf(process.env.DATABASE_URL)(
    "keep an idle connection open past node-postgres's 10 s default, so a burst after a quiet spell finds it ready",
    async () => {
      const { sql } = await database();
      const pid = async () => (await sql.query<{ pid: number }>("SELECT pg_backend_pid() AS pid"))[0]!.pid;
      const before = await pid();
      await new Promise((resolve) => setTimeout(resolve, 11_000));
      expect(await pid()).toBe(before);
    },
    20_000,
  );

  it.runIf(process.env.DATABASE_URL)("open every pool connection at start with warmPool, so ten aggregates side by side find their backends running", async () => {
    const { sql } = await openDatabase({ url: process.env.DATABASE_URL, schema: process.env.DATABASE_SCHEMA, dataDir: "memory://" });
    try {
      await warmPool(sql);
      const warmed = new Date();
      const backends = await Promise.all(
        Array.from({ length: POOL_SIZE }, () => sql.query<{ pid: number; started: Date }>("SELECT pid, backend_start AS started FROM pg_stat_activity, pg_sleep(0.05) WHERE pid = pg_backend_pid()")),
      );
      expect(new Set(backends.map(([b]) => b!.pid)).size).toBe(POOL_SIZE);
      for (const [backend] of backends) expect(backend!.started.getTime()).toBeLessThanOrEqual(warmed.getTime());
    } finally {
      await sql.close();
    }
  });

  it("rolls back everything when the function throws", async () => {
    const { sql } = await database();
    await expect(
      sql.transaction(async (tx) => {
        await tx.query(`INSERT INTO shop (domain, name, timezone, currency, settings) VALUES ('rollback.myshopify.com', 'R', 'UTC', 'USD', '{}')`);
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await sql.query(`SELECT 1 FROM shop WHERE domain = 'rollback.myshopify.com'`)).toEqual([]);
  });
});

describe("the SQL driver's LISTEN", () => {
  const channel = "nudge_test_listen";
  const notified = async (count: () => number, atLeast: number, ms = 5_000) => {
    const deadline = Date.now() + ms;
    while (count() < atLeast && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    return count();
  };

  it("hears a NOTIFY until unlistened", async () => {
    const { sql } = await database();
    let heard = 0;
    const unlisten = await sql.listen(channel, () => heard++);
    await sql.query(`SELECT pg_notify($1, '')`, [channel]);
    expect(await notified(() => heard, 1)).toBe(1);
    await unlisten();
    await sql.query(`SELECT pg_notify($1, '')`, [channel]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(heard).toBe(1);
  });

  it.runIf(process.env.DATABASE_URL)("listens again after PostgreSQL drops its connection, and calls once for what it may have missed", async () => {
    const { sql } = await database();
    let heard = 0;
    const unlisten = await sql.listen(channel, () => heard++);
    try {
      const [killed] = await sql.query<{ n: number }>(`SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE query = $1 AND pid <> pg_backend_pid()`, [`LISTEN "${channel}"`]);
      expect(killed!.n).toBe(1);
      expect(await notified(() => heard, 1)).toBe(1); // the call after reconnecting
      await sql.query(`SELECT pg_notify($1, '')`, [channel]);
      expect(await notified(() => heard, 2)).toBe(2);
    } finally {
      await unlisten();
    }
  });
});
