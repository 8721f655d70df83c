import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sizeName } from "./sizes";

const DIR = "test-output/reliability";

/**
 * Prints a run's figures and records them for docs/reliability.md: one file per scenario and
 * database under test-output/reliability/, then test-output/reliability.json rebuilt from all
 * of them (test files run in parallel, so none rewrites another's entry). test-output/ is gitignored.
 */
export function reportFigures(scenario: string, database: string, figures: Record<string, number | string>): void {
  const key = `${scenario}.${database}.${sizeName}`;
  console.log(`[reliability] ${scenario} (${database}, ${sizeName}): ${JSON.stringify(figures)}`);
  mkdirSync(DIR, { recursive: true });
  writeFileSync(join(DIR, `${key}.json`), JSON.stringify({ scenario, database, size: sizeName, at: new Date().toISOString(), ...figures }));
  const all = Object.fromEntries(
    readdirSync(DIR)
      .filter((name) => name.endsWith(".json"))
      .map((name) => [name.slice(0, -5), JSON.parse(readFileSync(join(DIR, name), "utf8"))]),
  );
  writeFileSync("test-output/reliability.json", `${JSON.stringify(all, null, 2)}\n`);
}
