// A backlog of checkouts/update webhooks drained in this process, as the worker's inbox loop
// drains it (batches of 50, 4 groups at once): the drain rate and the CPU per webhook of this
// process and of its PostgreSQL backends. The ingest scenario's drain mostly keeps up with the
// route on a 2-core machine, so its batches are small; this measures what a backlog costs.
// Run: DATABASE_URL=… LOG_LEVEL=warn npx tsx scripts/bench/drain-backlog.ts [webhooks] [--trace]
// (--trace counts the statements and their wall time).
import pg from "pg";
import { createBenchDatabase, postgresUrl } from "./bench-database";
import { cpuSeconds } from "./cpu-account";
import { seedShopHistory } from "./seed-history";
import { createUuidHelper } from "./seed-outbox";
import { BENCH_INGEST_SHOP, checkoutWebhooks } from "./webhook-payloads";
import type { SqlDriver } from "../../app/db/sql-driver.server";
import { drainInbox } from "../../app/webhooks/drain-inbox.server";
import { acceptWebhooks } from "../../app/webhooks/inbox.server";

const APP_NAME = "nudge-bench-drain-backlog";
process.env.PGAPPNAME = APP_NAME;
const count = Number(process.argv[2] ?? 2000);
const trace = process.argv.includes("--trace");
if (!postgresUrl()) throw new Error("DATABASE_URL must name a PostgreSQL database (the CPU of its backends is measured)");

const db = createBenchDatabase("drainbacklog");
const database = await db.open();
const admin = new pg.Client({ connectionString: postgresUrl() });
try {
  await createUuidHelper(database.sql);
  await seedShopHistory(database.sql, { shoppers: 1000, messages: 10_000, orders: 500 }, new Date(), BENCH_INGEST_SHOP);
  await database.sql.exec("VACUUM ANALYZE");
  const webhook = checkoutWebhooks({ secret: "unused", apiVersion: "unused", runId: "backlog" });
  const now = new Date(Date.now() - 1000);
  await acceptWebhooks(
    database.sql,
    Array.from({ length: count }, (_, n) => ({ webhookId: `backlog-${n}`, shop: BENCH_INGEST_SHOP, topic: "CHECKOUTS_UPDATE", body: webhook(n).body, now })),
  );
  const statements = new Map<string, { n: number; ms: number }>();
  const timed = async <T>(text: string, run: () => Promise<T>) => {
    const started = performance.now();
    try {
      return await run();
    } finally {
      const key = text.replace(/\s+/g, " ").slice(0, 100);
      const s = statements.get(key) ?? { n: 0, ms: 0 };
      statements.set(key, { n: s.n + 1, ms: s.ms + performance.now() - started });
    }
  };
  const base = database.sql;
  const sql: SqlDriver = trace
    ? {
        ...base,
        query: (text, params) => timed(text, () => base.query(text, params)),
        transaction: (fn) => base.transaction((tx) => fn({ exec: (text) => timed(text, () => tx.exec(text)), query: (text, params) => timed(text, () => tx.query(text, params)) })),
      }
    : base;
  await admin.connect();
  const backendCpu = async () => {
    const { rows } = await admin.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE application_name = $1`, [APP_NAME]);
    return new Map(rows.map(({ pid }) => [pid, cpuSeconds(pid) ?? 0]));
  };
  const round = () => drainInbox({ sql, workerId: "drain-backlog", now: () => new Date(), batchSize: 50 });
  await round(); // warm-up: JIT, the pool's connections
  statements.clear();
  const backendsBefore = await backendCpu();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let drained = 0;
  for (let summary = await round(); summary.claimed > 0; summary = await round()) drained += summary.ingested;
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  let postgres = 0;
  for (const [pid, seconds] of await backendCpu()) postgres += seconds - (backendsBefore.get(pid) ?? 0);
  const perWebhook = (seconds: number) => ((seconds * 1000) / drained).toFixed(2);
  console.log(
    `drained ${drained} webhooks in ${ms.toFixed(0)} ms (${((drained * 1000) / ms).toFixed(0)}/s); CPU per webhook: this process ${perWebhook((cpu.user + cpu.system) / 1e6)} ms, its PostgreSQL backends ${perWebhook(postgres)} ms`,
  );
  for (const [text, s] of [...statements].sort((a, b) => b[1].n - a[1].n)) console.log(`${String(s.n).padStart(6)} × ${(s.ms / s.n).toFixed(2).padStart(6)} ms  ${text}`);
} finally {
  await admin.end().catch(() => undefined);
  await database.close();
  await db.drop();
}
