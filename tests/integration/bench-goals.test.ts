import { describe, expect, it } from "vitest";
import { formatGoals, judgeGoals } from "../../scripts/bench/goals";
import { figure, type BenchResults } from "../../scripts/bench/results";

const results = (database: string, quick: boolean): BenchResults => ({
  startedAt: "2026-12-06T00:00:00Z",
  quick,
  scale: 1,
  database,
  machine: { cpus: 2, cpuModel: "x", memoryGb: 8, loadAverage: [1, 1, 1], node: "v20", platform: "linux x64" },
  scenarios: [
    {
      scenario: "dashboard",
      seconds: 1,
      notes: [],
      figures: [figure("dashboard", "dashboard, 30 days, warm", 80, "ms", { reference: { name: "SELECT 1", value: 0.2, unit: "ms" } }), figure("dashboard", "dashboard, 365 days, warm", 310, "ms")],
    },
    { scenario: "ingest", seconds: 1, notes: [], figures: [figure("ingest", "ingest/bare throughput at saturation", 600, "req/s", { reference: { name: "bare route", value: 1000, unit: "req/s" } })] },
  ],
});

describe("issue #23 goals in the bench output", () => {
  it("judges each goal on its figure's value, or its same-run ratio for ingest/bare", () => {
    const verdicts = judgeGoals(results("PostgreSQL 15", false));
    const of = (label: string) => verdicts.find((v) => v.goal.label === label)!;
    expect(of("dashboard, 30 days, warm")).toMatchObject({ measured: 80, met: true });
    expect(of("dashboard, 365 days, warm")).toMatchObject({ measured: 310, met: false });
    expect(of("ingest vs the bare route, at saturation")).toMatchObject({ measured: 0.6, met: true });
    expect(of("dispatch with discount minting, 2 workers")).toMatchObject({ measured: null, met: null });
  });

  it("prints PASS and MISS beside each goal, indicative unless PostgreSQL at full size", () => {
    const full = formatGoals(results("PostgreSQL 15", false));
    expect(full).toMatch(/dashboard, 30 days, warm\s+< 100 ms\s+80 ms\s+SELECT 1 0.2 ms\s+400\s+277 ms\s+PASS$/m);
    expect(full).toMatch(/dashboard, 365 days, warm\s+< 300 ms\s+310 ms.*MISS$/m);
    expect(full).toMatch(/server RSS after load\s+< 150 MB\s+not run.*–$/m);
    expect(formatGoals(results("PGlite", true))).toMatch(/PASS \(indicative\)$/m);
  });
});
