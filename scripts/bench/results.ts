import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** One measured number, with the goal it is judged against and, for headline figures, its same-run ratio. */
export interface Figure {
  scenario: string;
  name: string;
  value: number | null;
  unit: string;
  /** A reference measured in the same run, beside this figure (e.g. the bare route). */
  reference?: { name: string; value: number; unit: string };
  /** value / reference.value */
  ratio?: number | null;
  goal?: string;
  /** Whether the goal was met; null when there is no goal or it could not be judged. */
  met?: boolean | null;
  note?: string;
}

export interface ScenarioReport {
  scenario: string;
  figures: Figure[];
  /** What was skipped and why, queries that were slow with their plans, etc. */
  notes: string[];
  explains?: { label: string; ms: number; plan: string }[];
  seconds: number;
}

export interface BenchResults {
  startedAt: string;
  quick: boolean;
  scale: number;
  database: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; loadAverage: number[]; node: string; platform: string };
  scenarios: ScenarioReport[];
}

export function figure(scenario: string, name: string, value: number | null, unit: string, extra: Omit<Figure, "scenario" | "name" | "value" | "unit"> = {}): Figure {
  const ratio = extra.reference && value !== null && extra.reference.value > 0 ? round(value / extra.reference.value, 3) : extra.reference ? null : undefined;
  return { scenario, name, value: value === null ? null : round(value, 2), unit, ...extra, ...(ratio !== undefined ? { ratio } : {}) };
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Percentile of a sorted-or-not list of numbers (nearest rank). */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * Where in a phase the slow ones were: the p99 of `ms` in each tenth of `spanMs`, by `at`
 * (ms from the phase's start); 0 for a tenth with none.
 */
export function p99ByTenth(points: { at: number; ms: number }[], spanMs: number): number[] {
  const tenths: number[][] = Array.from({ length: 10 }, () => []);
  for (const p of points) tenths[Math.min(9, Math.max(0, Math.floor((p.at / spanMs) * 10)))]!.push(p.ms);
  return tenths.map((ms) => round(percentile(ms, 99) ?? 0, 0));
}

export function formatTable(results: BenchResults): string {
  const rows = results.scenarios.flatMap((s) => s.figures);
  const cells = rows.map((f) => [
    f.scenario,
    f.name,
    f.value === null ? "–" : `${f.value} ${f.unit}`,
    f.reference ? `${f.reference.name} ${round(f.reference.value, 2)} ${f.reference.unit}` : "",
    f.ratio === undefined ? "" : f.ratio === null ? "–" : String(f.ratio),
    f.goal ?? "",
    f.met === true ? "yes" : f.met === false ? "MISS" : "",
  ]);
  const header = ["scenario", "figure", "value", "reference (same run)", "ratio", "goal", "met"];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c
      .map((v, i) => v.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

/** Writes results, merging with an existing file's other scenarios when only some were run. */
export function writeResults(path: string, results: BenchResults): void {
  mkdirSync(dirname(path), { recursive: true });
  let merged = results;
  try {
    const previous = JSON.parse(readFileSync(path, "utf8")) as BenchResults;
    const ran = new Set(results.scenarios.map((s) => s.scenario));
    if (previous.database === results.database && previous.quick === results.quick && previous.scale === results.scale) {
      merged = { ...results, scenarios: [...previous.scenarios.filter((s) => !ran.has(s.scenario)), ...results.scenarios] };
    }
  } catch {
    // no previous results
  }
  writeFileSync(path, `${JSON.stringify(merged, null, 2)}\n`);
}
