import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { BenchResults } from "../../scripts/bench/results";
import { ensureAppBuilt } from "../support/app-build";

// A smoke test of `npm run bench -- --quick` on this run's database (PGlite, or PostgreSQL
// when DATABASE_URL is set): every scenario runs and reports numbers. No timing is asserted;
// the benchmark reports timings, docs/benchmarks.md judges them.
const out = join(mkdtempSync(join(tmpdir(), "nudge-bench-smoke-")), "results.json");
let results: BenchResults;
let log = "";

beforeAll(async () => {
  await ensureAppBuilt();
  // Asynchronous, so vitest's worker stays responsive during the run.
  const bench = spawn("npx", ["tsx", "scripts/bench/run.ts", "--quick", "--skip-build", `--out=${out}`], {
    env: { ...process.env, DATABASE_SCHEMA: "", NUDGE_DATA_DIR: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  bench.stdout.setEncoding("utf8").on("data", (chunk: string) => (log += chunk));
  bench.stderr.setEncoding("utf8").on("data", (chunk: string) => (log += chunk));
  const status = await new Promise<number | null>((resolve) => bench.once("exit", resolve));
  if (status !== 0) throw new Error(`npm run bench -- --quick failed (${status}):\n${log.slice(-4000)}`);
  results = JSON.parse(readFileSync(out, "utf8"));
}, 900_000);

const REFERENCE_REFUSED = /\b(bareFixed|bareMax|remixBareMax): \d+ non-2xx/;
const figureOf = (scenario: string, name: string) => results.scenarios.flatMap((s) => s.figures).find((f) => f.scenario === scenario && f.name === name);

describe("npm run bench -- --quick", () => {
  it("says which database it ran on and prints a table", () => {
    expect(results.database).toMatch(process.env.DATABASE_URL ? /^PostgreSQL/ : /^PGlite/);
    expect(log).toContain("ingest/bare throughput at saturation");
    expect(log).toMatch(/server memory after ingest: RSS [\d.]+ MB = JS heap [\d.]+ MB \([\d.]+ used\)/);
    // The references answered every request: a bare route answering 404 would make a ratio of nothing.
    expect(log).not.toMatch(REFERENCE_REFUSED);
  });

  it.each([
    ["ingest", "ingest/bare throughput at saturation"],
    ["ingest", "p99 at 200 req/s"],
    ["ingest", "p99 at saturation"],
    ["dispatch", "texts/s, 1 worker"],
    ["dispatch-discounts", `texts/s, ${process.env.DATABASE_URL ? "2 workers" : "1 worker"}, with discount codes`],
    ["send-lag", "due→sent p99"],
    ["send-lag", "due→sent p99, first 5 s (cold start)"],
    ["ingest", "server CPU per request at saturation"],
    ["dashboard", "dashboard, 30 days, warm"],
    ["dashboard", "timeline, warm"],
    ["campaign-fanout", "recipients enqueued per second"],
    ["memory", "server RSS after ingest"],
    ["collector", "events/s at saturation"],
    ["collector", `p99 at 200 req/s`],
  ])("reports %s: %s as a number with its same-run ratio", (scenario, name) => {
    const f = figureOf(scenario, name);
    expect(f, `${scenario}: ${name}`).toBeDefined();
    expect(typeof f!.value).toBe("number");
    expect(typeof f!.ratio).toBe("number");
  });

  it("reports PostgreSQL's CPU per webhook on PostgreSQL only (PGlite runs inside the server)", () => {
    const postgres = figureOf("ingest", "PostgreSQL CPU per webhook at saturation");
    if (process.env.DATABASE_URL) expect(postgres?.value).toBeGreaterThan(0);
    else expect(postgres).toBeUndefined();
  });

  it("sends every seeded text exactly once and keeps the low shop under its rate", () => {
    expect(figureOf("dispatch", "duplicates, 1 worker")?.value).toBe(0);
    expect(figureOf("dispatch", "rate limit: shop at 20/s, peak in any 1 s")?.met).toBe(true);
  });

  it("sends every text of the discounts run once, each with its own code made at the stand-in Shopify", () => {
    const label = process.env.DATABASE_URL ? "2 workers" : "1 worker";
    const plain = figureOf("dispatch-discounts", `texts/s, ${label}, no discount`);
    const coded = figureOf("dispatch-discounts", `texts/s, ${label}, with discount codes`);
    // The ratio's reference is the no-discount run of the same scenario.
    expect(coded!.reference?.name).toBe("no discount, same run");
    expect(coded!.reference!.value).toBeCloseTo(plain!.value!, 1);
    expect(figureOf("dispatch-discounts", `texts with a code of their own that Shopify made, per text sent, ${label}`)).toMatchObject({ value: 1, met: true });
    expect(figureOf("dispatch-discounts", `duplicates, ${label}, with discount codes`)).toMatchObject({ value: 0, met: true });
    // Pooled codes (ADR 025): busy ticks start pools, so there are fewer calls than texts.
    expect(figureOf("dispatch-discounts", `calls to Shopify per text sent, ${label}`)?.value).toBeLessThan(1);
    const notes = results.scenarios.find((s) => s.scenario === "dispatch-discounts")!.notes.join("\n");
    expect(notes).toMatch(/answers each call \(discountCodeBasicCreate, and a pool's bulk add and its status\) after 50–150 ms/);
    expect(notes).toMatch(/with codes: sent: 1000; \d+ codes at the stand-in from \d+ calls \([1-9]\d* bulk adds, 0 answered TAKEN\), mean answer [\d.]+ ms/);
  });

  it("splits the dispatch run's CPU by process and turns it into what the machine's cores allow", () => {
    const cpu = figureOf("dispatch", "CPU per text, 1 worker");
    expect(cpu?.value).toBeGreaterThan(0);
    expect(cpu?.note).toMatch(process.env.DATABASE_URL ? /^workers [\d.]+ ms \+ PostgreSQL [\d.]+ ms \+ fake Twilio/ : /^workers [\d.]+ ms \(PGlite inside them\) \+ fake Twilio/);
    const bound = results.scenarios.flatMap((s) => s.figures).find((f) => f.name.startsWith("texts/s, 1 worker, / what"));
    // cores × 1000 / ms per text (the figure's value is rounded to 0.01 ms)
    expect((bound!.reference!.value * cpu!.value!) / (cpus().length * 1000)).toBeCloseTo(1, 1);
    expect(typeof bound?.ratio).toBe("number");
  });

  it("runs 2 and 4 dispatcher processes on PostgreSQL, and says why not on PGlite", () => {
    const notes = results.scenarios.find((s) => s.scenario === "dispatch")!.notes.join("\n");
    if (process.env.DATABASE_URL) {
      expect(typeof figureOf("dispatch", "scaling 4 workers / 1")?.value).toBe("number");
      expect(figureOf("dispatch", "duplicates, 4 workers")?.value).toBe(0);
    } else {
      expect(notes).toMatch(/2 and 4 workers skipped: PGlite/);
    }
  });
});
