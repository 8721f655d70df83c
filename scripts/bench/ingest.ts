import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createBenchDatabase, postgresUrl, type BenchDatabase } from "./bench-database";
import { appEnv, BENCH_SECRET, rssMb, sleep, spawnScript, stopChild, waitForLine, type RunningChild } from "./child-process";
import { watchCpu } from "./cpu-account";
import type { BenchSizes } from "./options";
import { figure, round, type Figure, type ScenarioReport } from "./results";
import { seedShopHistory } from "./seed-history";
import { createUuidHelper } from "./seed-outbox";
import { BENCH_INGEST_SHOP } from "./webhook-payloads";
import type { SqlDriver } from "../../app/db/sql-driver.server";
import { declaredApiVersion } from "../../app/ops/app-toml";

const SCENARIO = "ingest";
const SERVER_APP_NAME = "nudge-bench-server";
const INBOX_WORKER_APP_NAME = "nudge-bench-inbox-worker";
const API_VERSION = declaredApiVersion(readFileSync("shopify.app.toml", "utf8")) ?? "2026-07";

export interface LoadResult {
  requestsPerSecond: number;
  ok: number;
  non2xx: number;
  errors: number;
  statusCodes: Record<string, number>;
  latency: { p50: number; p99: number; max: number };
  p99ByTenth: number[];
}

/** The reference: a no-work route served as webhook routes are (scripts/lib/webhook-actions.ts). */
const BARE = "/bench/webhook-bare";
/** The same through Remix's request pipeline, as the rounds before 7 Dec measured the reference. */
const REMIX_BARE = "/bench/bare";

/**
 * Scenarios 1 and 5: the production build, run as `npm start` runs it (its flags included), on
 * loopback, loaded by autocannon from another process with signed checkouts/update webhooks
 * (10 line items, distinct ids). Fixed rate, then saturation; each beside the bare route on the same server.
 * Server RSS idle and after the run. NUDGE_BENCH_PROFILE=1 writes a CPU profile of the server
 * to bench/profiles; NUDGE_BENCH_HEAP=1 writes a heap snapshot of it there when idle and one
 * after the run (compare them with scripts/bench/heap-summary.ts).
 */
export async function benchIngest(sizes: BenchSizes["ingest"]): Promise<ScenarioReport> {
  const started = Date.now();
  const notes: string[] = [];
  const db = createBenchDatabase("ingest");
  const database = await db.open();
  // Webhooks land in a live shop: a history of shoppers, checkouts, orders and texts, vacuumed
  // and analyzed as autovacuum keeps a live database. An empty, never-analyzed database is not
  // one a webhook meets, and its planner picks indexes on cost ties: on one seen here the
  // shopper update scanned the shop's whole report index instead of the primary key.
  await createUuidHelper(database.sql);
  await seedShopHistory(database.sql, sizes.history, new Date(), BENCH_INGEST_SHOP);
  await database.sql.exec("VACUUM ANALYZE");
  await database.close();

  const profile = process.env.NUDGE_BENCH_PROFILE === "1" ? ["--cpu-prof", "--cpu-prof-dir=bench/profiles"] : [];
  const heap = process.env.NUDGE_BENCH_HEAP === "1" ? ["--heapsnapshot-signal=SIGUSR2", "--diagnostic-dir=bench/profiles"] : [];
  const [entry, ...startFlags] = npmStart();
  // Who ingests the webhooks the server acknowledges (ADR 024): the server's in-process worker,
  // as `npm start` alone runs it (and as the 4 Dec round ran the dispatcher), or, with
  // NUDGE_BENCH_INGEST_WORKER=separate on PostgreSQL, one worker process as `npm run worker` runs
  // it beside web processes with NUDGE_IN_PROCESS_WORKER=off. Started beside the server.
  // NUDGE_BENCH_INGEST_WORKER=none runs no worker at all: the acknowledgement alone, its ceiling.
  const separateWorker = db.kind === "postgres" && process.env.NUDGE_BENCH_INGEST_WORKER === "separate";
  const noWorker = process.env.NUDGE_BENCH_INGEST_WORKER === "none";
  const server = spawnScript(
    entry,
    [],
    appEnv(db, { PORT: "0", HOST: "127.0.0.1", NUDGE_BENCH_ROUTES: "1", PGAPPNAME: SERVER_APP_NAME, NUDGE_IN_PROCESS_WORKER: separateWorker || noWorker ? "off" : "on" }),
    [...startFlags, ...profile, ...heap],
  );
  const worker = separateWorker ? spawnScript(npmWorker()[0], [], appEnv(db, { PGAPPNAME: INBOX_WORKER_APP_NAME }), [...npmWorker().slice(1), ...profile]) : null;
  try {
    if (worker) await waitForLine(worker, /Nudge worker on/, 120_000);
    const port = (await waitForLine(server, /Nudge listening on http:\/\/localhost:(\d+)/, 120_000))[1]!;
    const url = `http://127.0.0.1:${port}`;
    await sleep(1000);
    const idleRss = rssMb(server.child.pid!);
    const idleMemory = await memoryOf(url);
    if (heap.length) notes.push(`heap snapshot when idle: ${await heapSnapshot(server.child.pid!)}`);
    const runId = randomBytes(3).toString("hex");
    const load = (path: string, phase: string, seconds: number, rate?: number) =>
      runLoad({ url, path, seconds, connections: sizes.connections, rate, secret: BENCH_SECRET, apiVersion: API_VERSION, runId: `${runId}-${phase}` });
    // A saturation phase with the CPU the server and its PostgreSQL backends used meanwhile.
    const measured = async (path: string, phase: string) => {
      let begun = false;
      const cpu = await watchCpu(postgresUrl(), () => begun, { processes: () => [server.child.pid!], appName: SERVER_APP_NAME });
      await sleep(150); // one sample before the load: the start line
      begun = true;
      const result = await load(path, phase, sizes.phaseSeconds);
      return { ...result, cpu: await cpu.stop() };
    };

    // Warm the routes (JIT, connection pool, first-request module loads), unrecorded.
    await load(BARE, "warm-bare", 1);
    await load(REMIX_BARE, "warm-remix-bare", 1);
    await load("/webhooks/checkouts/update", "warm-ingest", 2);
    // Each phase starts with nothing left to ingest, so that none pays for an earlier one's
    // backlog (the warm-up's saturation leaves one the drain takes seconds to clear). On
    // PostgreSQL: an embedded PGlite is the server's alone while it runs.
    const emptyInbox = () => (noWorker || db.kind !== "postgres" ? Promise.resolve() : untilInboxDrained(db));
    await emptyInbox();
    const bareFixed = await load(BARE, "bare-fixed", sizes.phaseSeconds, sizes.fixedRate);
    const ingestFixed = await load("/webhooks/checkouts/update", "ingest-fixed", sizes.phaseSeconds, sizes.fixedRate);
    await emptyInbox();
    const bareMax = await measured(BARE, "bare-max");
    const remixBareMax = await load(REMIX_BARE, "remix-bare-max", sizes.phaseSeconds);
    const drain = worker ? await watchDrain(db, worker) : null;
    const ingestMax = await measured("/webhooks/checkouts/update", "ingest-max");
    const drained = drain ? await drain.stop(`${runId}-ingest-max-`) : null;
    const endRss = rssMb(server.child.pid!);
    const endMemory = await memoryOf(url);
    notes.push(`server memory idle: ${describeMemory(idleMemory)}`, `server memory after ingest: ${describeMemory(endMemory)}`);
    if (heap.length) notes.push(`heap snapshot after the run: ${await heapSnapshot(server.child.pid!)}`);

    const perRequest = (seconds: number, r: LoadResult) => (r.ok > 0 ? (seconds * 1000) / r.ok : null);
    for (const [name, r] of Object.entries({ bareFixed, ingestFixed, bareMax, remixBareMax, ingestMax })) {
      if (r.non2xx || r.errors) notes.push(`${name}: ${r.non2xx} non-2xx, ${r.errors} errors (${JSON.stringify(r.statusCodes)})`);
      notes.push(`${name}: p99 by tenth of the phase, in order: ${r.p99ByTenth.join(", ")} ms`);
    }
    const bare = (value: number, unit: string) => ({ name: "bare route", value, unit });
    const figures: Figure[] = [
      figure(SCENARIO, "ingest/bare throughput at saturation", ingestMax.requestsPerSecond, "req/s", {
        reference: bare(bareMax.requestsPerSecond, "req/s"),
        goal: "ratio ≥ 0.5",
        met: bareMax.requestsPerSecond > 0 ? ingestMax.requestsPerSecond / bareMax.requestsPerSecond >= 0.5 : null,
        note: `${sizes.connections} connections; the bare route is served as webhooks are, without Remix's pipeline (ADR 024)`,
      }),
      figure(SCENARIO, "ingest/bare throughput at saturation, bare through Remix", ingestMax.requestsPerSecond, "req/s", {
        reference: { name: "Remix's bare route", value: remixBareMax.requestsPerSecond, unit: "req/s" },
        note: "the reference of the rounds before 7 Dec: a no-work route through Remix's request pipeline, as webhooks were served until then",
      }),
      figure(SCENARIO, `p50 at ${sizes.fixedRate} req/s`, ingestFixed.latency.p50, "ms", { reference: bare(bareFixed.latency.p50, "ms") }),
      figure(SCENARIO, `p99 at ${sizes.fixedRate} req/s`, ingestFixed.latency.p99, "ms", {
        reference: bare(bareFixed.latency.p99, "ms"),
        goal: "< 25 ms",
        met: ingestFixed.latency.p99 < 25,
        note: `achieved ${round(ingestFixed.requestsPerSecond, 1)} req/s (bare ${round(bareFixed.requestsPerSecond, 1)})`,
      }),
      figure(SCENARIO, "p50 at saturation", ingestMax.latency.p50, "ms", { reference: bare(bareMax.latency.p50, "ms") }),
      figure(SCENARIO, "server CPU per request at saturation", perRequest(ingestMax.cpu.workers, ingestMax), "ms", {
        reference: bare(perRequest(bareMax.cpu.workers, bareMax) ?? 0, "ms"),
        note: "the Node process: HTTP, HMAC, JSON, zod, the journey and its SQL client",
      }),
      ...(db.kind === "postgres"
        ? [
            figure(SCENARIO, "PostgreSQL CPU per webhook at saturation", perRequest(ingestMax.cpu.postgres, ingestMax), "ms", {
              note: "the server's backends (application_name), from /proc",
            }),
          ]
        : []),
      ...(drained
        ? [
            figure(SCENARIO, "worker CPU per drained webhook", drained.drained > 0 ? (drained.cpu.workers * 1000) / drained.drained : null, "ms", {
              note: `the npm run worker process, from the saturation phase until its webhooks were drained (${drained.drained} webhooks, ${drained.seconds} s)`,
            }),
            figure(SCENARIO, "worker's PostgreSQL CPU per drained webhook", drained.drained > 0 ? (drained.cpu.postgres * 1000) / drained.drained : null, "ms", {
              note: "the worker's backends (application_name), from /proc",
            }),
          ]
        : []),
      figure(SCENARIO, "p99 at saturation", ingestMax.latency.p99, "ms", { reference: bare(bareMax.latency.p99, "ms") }),
      figure("memory", "server RSS idle", idleRss, "MB", { goal: "< 250 MB", met: idleRss === null ? null : idleRss < 250 }),
      figure("memory", "server RSS after ingest", endRss, "MB", {
        reference: { name: "idle", value: idleRss ?? 0, unit: "MB" },
        goal: "< 250 MB",
        met: endRss === null ? null : endRss < 250,
      }),
    ];
    await stopChild(server);
    if (worker) await stopChild(worker);
    const check = await db.open();
    const [stored] = await check.sql.query<{ receipts: number; checkouts: number; messages: number }>(
      `SELECT (SELECT count(*)::int FROM webhook_receipt) AS receipts, (SELECT count(*)::int FROM checkout) AS checkouts, (SELECT count(*)::int FROM scheduled_message) AS messages`,
    );
    // Acknowledge first, ingest after (ADR 024): how long each webhook waited in the inbox, from
    // its 200 to the end of its ingest, and how fast the drain went while the route was saturated.
    const fixedInbox = await inboxDelays(check.sql, `${runId}-ingest-fixed-`);
    const maxInbox = await inboxDelays(check.sql, `${runId}-ingest-max-`);
    await check.close();
    figures.splice(
      4,
      0,
      figure(SCENARIO, `200→journey p99 at ${sizes.fixedRate} req/s`, fixedInbox.p99, "ms", {
        reference: { name: "the 200's p99", value: ingestFixed.latency.p99, unit: "ms" },
        goal: "< 1000 ms",
        met: fixedInbox.p99 === null ? null : fixedInbox.p99 < 1000 && fixedInbox.waiting === 0,
        note: `p50 ${fixedInbox.p50} ms; ${fixedInbox.done} ingested, ${fixedInbox.waiting} still waiting when the server stopped`,
      }),
      figure(SCENARIO, "drain rate at saturation", maxInbox.perSecond, "webhooks/s", {
        reference: { name: "acknowledged", value: ingestMax.requestsPerSecond, unit: "req/s" },
        note: `${separateWorker ? "one npm run worker process" : "the server's in-process worker (npm start's default)"}, ${maxInbox.waiting} of ${maxInbox.done + maxInbox.waiting} still waiting when the server stopped`,
      }),
    );
    const answered = [ingestFixed, ingestMax].reduce((sum, r) => sum + r.ok, 0);
    notes.push(`stored ${stored?.receipts} webhook receipts, ${stored?.checkouts} checkouts, ${stored?.messages} scheduled texts; ${answered} measured 200s (+ warm-up)`);
    if (profile.length)
      notes.push(`server (pid ${server.child.pid})${worker ? ` and worker (pid ${worker.child.pid})` : ""} CPU profiles written to bench/profiles/ (open in Chrome DevTools → Performance)`);
    return { scenario: SCENARIO, figures, notes, seconds: round((Date.now() - started) / 1000, 1) };
  } finally {
    await stopChild(server);
    if (worker) await stopChild(worker);
    await db.drop();
  }
}

/**
 * The CPU the separate worker and its PostgreSQL backends spend draining: watched from the start
 * of the saturation phase until that phase's webhooks are all ingested (at most 60 s after it),
 * divided by the webhooks ingested meanwhile (the fixed phase's backlog included).
 */
async function watchDrain(db: BenchDatabase, worker: RunningChild) {
  const database = await db.open();
  const countDone = async () => (await database.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_inbox WHERE state = 'done'`))[0]!.n;
  let begun = false;
  const cpu = await watchCpu(postgresUrl(), () => begun, { processes: () => [worker.child.pid!], appName: INBOX_WORKER_APP_NAME });
  await sleep(150); // one sample before: the start line
  const doneBefore = await countDone();
  begun = true;
  const started = Date.now();
  return {
    async stop(prefix: string) {
      for (let waited = 0; waited < 60_000; waited += 100) {
        const [left] = await database.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_inbox WHERE state = 'pending' AND webhook_id LIKE $1 || '%'`, [prefix]);
        if (left!.n === 0) break;
        await sleep(100);
      }
      const used = await cpu.stop();
      const drained = (await countDone()) - doneBefore;
      await database.close();
      return { cpu: used, drained, seconds: round((Date.now() - started) / 1000, 1) };
    },
  };
}

/** Waits until the inbox holds no pending webhook (at most 2 minutes). */
async function untilInboxDrained(db: BenchDatabase): Promise<void> {
  const database = await db.open();
  try {
    for (let waited = 0; waited < 120_000; waited += 200) {
      const [left] = await database.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_inbox WHERE state = 'pending'`);
      if (left!.n === 0) return;
      await sleep(200);
    }
    throw new Error("the inbox was not drained within 2 minutes");
  } finally {
    await database.close();
  }
}

/** The inbox rows whose webhook ids start with `prefix`: ingested and waiting, delays (ms) from the 200 to the end of ingest, and the drain's rate. */
async function inboxDelays(sql: SqlDriver, prefix: string) {
  const [row] = await sql.query<{ done: number; waiting: number; p50: number | null; p99: number | null; span: number | null }>(
    `SELECT count(*) FILTER (WHERE state = 'done')::int AS done, count(*) FILTER (WHERE state <> 'done')::int AS waiting,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM processed_at - received_at) * 1000) AS p50,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM processed_at - received_at) * 1000) AS p99,
            extract(epoch FROM max(processed_at) - min(processed_at))::float8 AS span
     FROM webhook_inbox WHERE webhook_id LIKE $1 || '%'`,
    [prefix],
  );
  const { done, waiting, p50, p99, span } = row!;
  return { done, waiting, p50: p50 === null ? null : round(Number(p50), 1), p99: p99 === null ? null : round(Number(p99), 1), perSecond: span ? round(done / Number(span), 1) : null };
}

/** The server's process.memoryUsage() (in MB), from its /bench/memory route. */
async function memoryOf(url: string): Promise<Record<string, number>> {
  const usage = (await (await fetch(`${url}/bench/memory`)).json()) as Record<string, number>;
  return Object.fromEntries(Object.entries(usage).map(([key, bytes]) => [key, round(bytes / 1024 / 1024, 1)]));
}

/** RSS split into the JS heap V8 holds (used of total), buffers, and what lies outside both (code, stacks, native allocations). */
function describeMemory(m: Record<string, number>): string {
  const outside = round((m.rss ?? 0) - (m.heapTotal ?? 0) - (m.arrayBuffers ?? 0), 1);
  return `RSS ${m.rss} MB = JS heap ${m.heapTotal} MB (${m.heapUsed} used) + array buffers ${m.arrayBuffers} MB + ${outside} MB outside the JS heap (external ${m.external} MB)`;
}

/** Signals the server to write a heap snapshot (--heapsnapshot-signal) and waits until it is written. */
async function heapSnapshot(pid: number): Promise<string> {
  const dir = "bench/profiles";
  mkdirSync(dir, { recursive: true });
  const before = new Set(readdirSync(dir));
  process.kill(pid, "SIGUSR2");
  for (let waited = 0; waited < 120_000; waited += 250) {
    await sleep(250);
    const written = readdirSync(dir).find((name) => !before.has(name) && name.endsWith(".heapsnapshot"));
    // Node writes the file in one go and then answers requests again: a stable size is done.
    if (written) {
      const size = statSync(`${dir}/${written}`).size;
      await sleep(500);
      if (statSync(`${dir}/${written}`).size === size && size > 0) return `${dir}/${written}`;
    }
  }
  throw new Error("the server wrote no heap snapshot within 2 minutes");
}

/** The worker as `npm run worker` runs it: its entry file first, then Node's flags. */
function npmWorker(): [string, ...string[]] {
  const words = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: { worker: string } }).scripts.worker.split(/\s+/);
  if (words[0] !== "node") throw new Error(`npm run worker is expected to run node, not: ${words.join(" ")}`);
  return [words.at(-1)!, ...words.slice(1, -1)];
}

/** The server as `npm start` runs it: its entry file last, Node's flags before it. */
export function npmStart(): [string, ...string[]] {
  const words = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: { start: string } }).scripts.start.split(/\s+/);
  if (words[0] !== "node") throw new Error(`npm start is expected to run node, not: ${words.join(" ")}`);
  return [words.at(-1)!, ...words.slice(1, -1)];
}

export async function runLoad(options: Record<string, unknown>): Promise<LoadResult> {
  const load = spawnScript("scripts/bench/ingest-load.ts", [JSON.stringify(options)], process.env);
  const code = await load.exited;
  if (code !== 0) throw new Error(`load generator failed:\n${load.stderr().slice(-2000)}`);
  return JSON.parse(load.stdout().trim().split("\n").pop()!) as LoadResult;
}
