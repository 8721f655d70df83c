import type { BenchResults, Figure } from "./results";

/**
 * Issue #23's goals table, judged on this run's figures: each goal beside the figure it reads,
 * the figure's same-run reference and ratio, PASS or MISS. The goals are for PostgreSQL on 2
 * cores at full size; on PGlite, a quick run or a scaled one the verdicts are printed but
 * marked indicative.
 */
export interface Goal {
  label: string;
  /** The figure the goal reads, by scenario and name; the first one found is used. */
  figures: { scenario: string; name: string }[];
  /** Reads the ratio (ingest/bare) rather than the value. */
  of: "value" | "ratio";
  test: "<" | "≥";
  target: number;
  unit: string;
  /** Issue #23's "now" column (the 4 Dec round). */
  before: string;
}

export const ISSUE_23_GOALS: Goal[] = [
  { label: "ingest vs the bare route, at saturation", figures: [{ scenario: "ingest", name: "ingest/bare throughput at saturation" }], of: "ratio", test: "≥", target: 0.5, unit: "", before: "0.256" },
  { label: "ingest p99 at 200 webhooks/s", figures: [{ scenario: "ingest", name: "p99 at 200 req/s" }], of: "value", test: "<", target: 25, unit: "ms", before: "49–54 ms" },
  {
    label: "webhook 200 → journey state p99 at 200/s",
    figures: [{ scenario: "ingest", name: "200→journey p99 at 200 req/s" }],
    of: "value",
    test: "<",
    target: 1000,
    unit: "ms",
    before: "not measured (ingest before the 200)",
  },
  { label: "dashboard, 30 days, cold", figures: [{ scenario: "dashboard", name: "dashboard, 30 days, cold" }], of: "value", test: "<", target: 300, unit: "ms", before: "795 ms" },
  { label: "dashboard, 30 days, warm", figures: [{ scenario: "dashboard", name: "dashboard, 30 days, warm" }], of: "value", test: "<", target: 100, unit: "ms", before: "277 ms" },
  { label: "dashboard, 365 days, warm", figures: [{ scenario: "dashboard", name: "dashboard, 365 days, warm" }], of: "value", test: "<", target: 300, unit: "ms", before: "1,596 ms" },
  { label: "send lag p99, all texts", figures: [{ scenario: "send-lag", name: "due→sent p99" }], of: "value", test: "<", target: 500, unit: "ms", before: "591 ms" },
  {
    label: "send lag p99, texts due in the first 5 s",
    figures: [{ scenario: "send-lag", name: "due→sent p99, first 5 s (cold start)" }],
    of: "value",
    test: "<",
    target: 500,
    unit: "ms",
    before: "995 ms",
  },
  { label: "server RSS after load", figures: [{ scenario: "memory", name: "server RSS after ingest" }], of: "value", test: "<", target: 150, unit: "MB", before: "175 MB" },
  {
    label: "dispatch with discount minting, 2 workers",
    figures: [{ scenario: "dispatch-discounts", name: "texts/s, 2 workers, with discount codes" }],
    of: "value",
    test: "≥",
    target: 2000,
    unit: "texts/s",
    before: "not measured (324 on a busy machine, 5 Dec)",
  },
];

export interface GoalVerdict {
  goal: Goal;
  figure: Figure | null;
  measured: number | null;
  met: boolean | null;
}

export function judgeGoals(results: BenchResults, goals: Goal[] = ISSUE_23_GOALS): GoalVerdict[] {
  const all = results.scenarios.flatMap((s) => s.figures);
  return goals.map((goal) => {
    const figure = goal.figures.map((f) => all.find((x) => x.scenario === f.scenario && x.name === f.name)).find(Boolean) ?? null;
    const measured = figure ? (goal.of === "ratio" ? (figure.ratio ?? null) : figure.value) : null;
    const met = measured === null ? null : goal.test === "<" ? measured < goal.target : measured >= goal.target;
    return { goal, figure, measured, met };
  });
}

/** Whether this run is what the goals are stated for: PostgreSQL, full size. */
export function judgedAsStated(results: BenchResults): boolean {
  return results.database.startsWith("PostgreSQL") && !results.quick && results.scale === 1;
}

export function formatGoals(results: BenchResults, verdicts: GoalVerdict[] = judgeGoals(results)): string {
  const stated = judgedAsStated(results);
  const header = ["issue #23 goal", "goal", "this run", "reference (same run)", "ratio", "4 Dec", "verdict"];
  const cells = verdicts.map(({ goal, figure, measured, met }) => [
    goal.label,
    `${goal.test} ${goal.target.toLocaleString("en-US")}${goal.unit ? ` ${goal.unit}` : ""}`,
    measured === null ? "not run" : `${measured.toLocaleString("en-US")}${goal.of === "ratio" ? "" : ` ${figure!.unit}`}`,
    figure?.reference ? `${figure.reference.name} ${figure.reference.value.toLocaleString("en-US", { maximumFractionDigits: 2 })} ${figure.reference.unit}` : "",
    figure?.ratio === undefined || figure.ratio === null ? "" : String(figure.ratio),
    goal.before,
    met === null ? "–" : `${met ? "PASS" : "MISS"}${stated ? "" : " (indicative)"}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c
      .map((v, i) => v.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  const note = stated
    ? "Goals as stated: PostgreSQL, full size; judge on a quiet 2-core machine."
    : `Goals are for PostgreSQL at full size on a quiet 2-core machine; this run (${results.database}${results.quick ? ", quick" : ""}${results.scale !== 1 ? `, × ${results.scale}` : ""}) is indicative only.`;
  return [note, line(header), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}
