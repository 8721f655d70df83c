import { cpus } from "node:os";
import { startFakeTwilio, type FakeTwilio } from "../../tests/mocks/twilio";
import { createBenchDatabase, postgresUrl } from "./bench-database";
import { watchCpu, type CpuSplit } from "./cpu-account";
import { spawnScript } from "./child-process";
import { expectOwnSenders, outboxOutcome, ownSenders, peakPerSecond, prepareOutbox, runDispatchers, textsPerSecond } from "./dispatch-run";
import type { BenchSizes } from "./options";
import { figure, round, type Figure, type ScenarioReport } from "./results";
import { shopDomain } from "./seed-outbox";

const SCENARIO = "dispatch";
const MAX_RATE = 1000; // settings.sending.ratePerSecond's schema maximum (app/messaging/settings.ts)
// The ceiling's requests in flight per driver process: 4, as in every earlier run, so ratios
// compare across runs (a dispatcher may now have up to DISPATCH_DEFAULTS.concurrency ×
// chunkSize in flight; driving the fake with 100 at once gave a lower, noisier figure).
const PER_WORKER_CONCURRENCY = 4;

/**
 * Scenario 2: 100k due texts for 50k shoppers in 10 shops, sent by 1, 2 and 4 dispatcher
 * processes (PostgreSQL; PGlite belongs to one process, so one) to a fake Twilio that answers
 * at once. Reference: the fake's own ceiling, driven by the Twilio client from as many
 * processes, 4 requests in flight each. Then a small run with a low per-shop rate checks the limit.
 */
export async function benchDispatch(sizes: BenchSizes["dispatch"]): Promise<ScenarioReport> {
  const started = Date.now();
  const figures: Figure[] = [];
  const notes: string[] = [
    `every shop has its own Twilio sender (ownSenders) at settings.sending.ratePerSecond = ${MAX_RATE}, the schema's maximum: ${sizes.shops} × ${MAX_RATE} texts/s per worker, so the limiter is not the bound`,
  ];
  const postgres = Boolean(process.env.DATABASE_URL);
  const workerCounts = postgres ? [1, 2, 4] : [1];
  if (!postgres) notes.push("2 and 4 workers skipped: PGlite is opened by one process only, so multi-worker dispatch needs PostgreSQL (set DATABASE_URL)");
  if (postgres && cpus().length < 4) notes.push(`${cpus().length} CPUs: 4 worker processes, PostgreSQL and the fake share them, so scaling is bounded by the machine`);
  const fake = await startFakeTwilio();
  const rates = new Map<number, number | null>();
  try {
    for (const workers of workerCounts) {
      const db = createBenchDatabase("dispatch");
      try {
        await prepareOutbox(db, { ...sizes, dueFrom: new Date(Date.now() - 60_000), windowMs: 0, ratePerSecond: MAX_RATE }, (sql) => ownSenders(sql, sizes.shops));
        fake.messages.length = 0;
        const cpu = await watchCpu(postgresUrl(), () => fake.messages.length > 0);
        await runDispatchers(db, fake, workers, 900);
        const split = await cpu.stop();
        expectOwnSenders(fake.messages, sizes.shops);
        const rate = textsPerSecond(fake.messages);
        const outcome = await outboxOutcome(db, fake);
        const ceiling = await fakeCeiling(fake, Math.min(sizes.messages, 20_000), workers);
        rates.set(workers, rate);
        const label = `${workers} worker${workers > 1 ? "s" : ""}`;
        figures.push(
          figure(SCENARIO, `texts/s, ${label}`, rate, "texts/s", {
            reference: { name: "fake ceiling", value: ceiling, unit: "texts/s" },
            goal: postgres ? "≥ 2000 texts/s on PostgreSQL" : "judged on PostgreSQL",
            met: postgres && rate !== null ? rate >= 2000 : null,
          }),
          figure(SCENARIO, `duplicates, ${label}`, outcome.duplicatePairs + Math.abs(outcome.atFake - outcome.sent), "texts", {
            goal: "0",
            met: outcome.duplicatePairs === 0 && outcome.atFake === outcome.sent,
            note: `${outcome.atFake} at the fake, ${outcome.sent} rows sent; ${outcome.duplicatePairs} repeated (to, body) pairs`,
          }),
          ...cpuFigures(label, split, outcome.atFake, rate),
        );
        notes.push(`${label}: ${outcome.statuses}`);
      } finally {
        await db.drop();
      }
    }
    const one = rates.get(1);
    for (const workers of workerCounts.filter((n) => n > 1)) {
      const rate = rates.get(workers);
      figures.push(figure(SCENARIO, `scaling ${workers} workers / 1`, one && rate ? rate / one : null, "×", { note: `ideal ${workers}×` }));
    }
    figures.push(...(await rateLimitCheck(fake, sizes)));
  } finally {
    await fake.close();
  }
  return { scenario: SCENARIO, figures, notes, seconds: round((Date.now() - started) / 1000, 1) };
}

/**
 * CPU per text, by process, and what it implies: at that cost the machine's cores could send
 * at most cores × 1000 / (ms per text) texts/s, whatever the code's concurrency. This is what
 * separates "our code is slow" from "this machine can't" (docs/benchmarks.md).
 */
function cpuFigures(label: string, split: CpuSplit, texts: number, rate: number | null): Figure[] {
  if (texts === 0) return [];
  const perText = (seconds: number) => (seconds * 1000) / texts;
  const total = perText(split.workers + split.postgres + split.bench);
  const cores = cpus().length;
  return [
    figure(SCENARIO, `CPU per text, ${label}`, total, "ms", {
      note: `workers ${round(perText(split.workers), 3)} ms${split.postgres ? ` + PostgreSQL ${round(perText(split.postgres), 3)} ms` : " (PGlite inside them)"} + fake Twilio ${round(perText(split.bench), 3)} ms, from the first text on`,
    }),
    figure(SCENARIO, `texts/s, ${label}, / what ${cores} cores allow at that cost`, rate, "texts/s", {
      reference: { name: `${cores} × 1000 / ${round(total, 3)} ms`, value: (cores * 1000) / total, unit: "texts/s" },
    }),
  ];
}

/** The fake's ceiling: `processes` driver processes × the dispatcher's concurrency, no database; the fake is left empty. */
export async function fakeCeiling(fake: FakeTwilio, count: number, processes: number): Promise<number> {
  fake.messages.length = 0;
  const each = Math.ceil(count / processes);
  const drivers = Array.from({ length: processes }, (_, p) => spawnScript("scripts/bench/drive-twilio.ts", [fake.url, String(each), String(PER_WORKER_CONCURRENCY), String(p * each)], process.env));
  const codes = await Promise.all(drivers.map((d) => d.exited));
  if (codes.some((c) => c !== 0))
    throw new Error(
      `twilio driver failed:\n${drivers
        .map((d) => d.stderr())
        .join("\n")
        .slice(-2000)}`,
    );
  const rate = textsPerSecond(fake.messages) ?? 0;
  fake.messages.length = 0;
  return rate;
}

/**
 * "Each shop's rate limit honoured": shop 1 at `lowRate`/s, shop 2 at the maximum, one
 * worker (the limiter is per process, see docs/decisions/004-sending-safety.md). The peak
 * is the most texts shop 1 had accepted at the fake in any one-second window.
 */
async function rateLimitCheck(fake: FakeTwilio, sizes: BenchSizes["dispatch"]): Promise<Figure[]> {
  const db = createBenchDatabase("ratelimit");
  try {
    const shoppers = Math.ceil(sizes.rateLimitMessages / 2);
    await prepareOutbox(db, { shops: 2, shoppers, messages: sizes.rateLimitMessages, dueFrom: new Date(Date.now() - 60_000), windowMs: 0, ratePerSecond: MAX_RATE }, async (sql) => {
      await sql.query(`UPDATE shop SET settings = jsonb_set(settings, '{sending,ratePerSecond}', to_jsonb($2::int)) WHERE domain = $1`, [shopDomain(1), sizes.lowRate]);
    });
    fake.messages.length = 0;
    await runDispatchers(db, fake, 1, 300);
    // Shopper i (phone +1613 2000000+i) belongs to shop (i % 2) + 1.
    const shopOf = (phone: string) => ((Number(phone.slice(5)) - 2_000_000) % 2) + 1;
    const low = fake.messages.filter((m) => shopOf(m.to) === 1);
    const high = fake.messages.filter((m) => shopOf(m.to) === 2);
    const peak = peakPerSecond(low.map((m) => m.dateCreated.getTime()));
    const outcome = await outboxOutcome(db, fake);
    return [
      figure(SCENARIO, `rate limit: shop at ${sizes.lowRate}/s, peak in any 1 s`, peak, "texts", {
        // A window of exactly 1 s can hold limit + 1 evenly spaced starts.
        goal: `≤ ${sizes.lowRate + 1}`,
        met: peak <= sizes.lowRate + 1 && low.length > sizes.lowRate,
        note: `${low.length} texts at ${round(textsPerSecond(low) ?? 0, 1)}/s; the other shop on the same sender ${round(textsPerSecond(high) ?? 0, 1)}/s; ${outcome.statuses}`,
      }),
    ];
  } finally {
    await db.drop();
  }
}
