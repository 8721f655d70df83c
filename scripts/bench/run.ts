// npm run bench [-- <scenario>…] [--quick] [--scale=0.1] [--out=path] [--skip-build] [--arrival=990]
// Runs the benchmarks of docs/benchmarks.md on PostgreSQL when DATABASE_URL is set, otherwise
// on PGlite; prints a table and writes bench/results.json.
import { spawnSync } from "node:child_process";
import { cpus, loadavg, totalmem } from "node:os";
import { describeDatabaseChoice } from "./bench-database";
import { benchCampaignFanout } from "./campaign-fanout";
import { benchDashboard } from "./dashboard";
import { benchDispatch } from "./dispatch";
import { benchDispatchDiscounts } from "./dispatch-discounts";
import { benchCollector } from "./collector";
import { benchIngest } from "./ingest";
import { parseBenchArgs, type BenchOptions, type ScenarioName } from "./options";
import { formatTable, writeResults, type BenchResults, type ScenarioReport } from "./results";
import { formatGoals } from "./goals";
import { benchSendLag } from "./send-lag";

async function main() {
  const options = parseBenchArgs(process.argv.slice(2));
  process.env.LOG_LEVEL ??= "warn";
  const database = describeDatabaseChoice();
  console.log(`Nudge bench on ${database}${options.quick ? " (quick)" : ""}${options.scale !== 1 ? ` (row counts × ${options.scale})` : ""}: ${options.scenarios.join(", ")}`);
  const results: BenchResults = {
    startedAt: new Date().toISOString(),
    quick: options.quick,
    scale: options.scale,
    database,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? "unknown",
      memoryGb: Math.round(totalmem() / 2 ** 30),
      loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
    },
    scenarios: [],
  };
  if ((options.scenarios.includes("ingest") || options.scenarios.includes("collector")) && !options.skipBuild) build();
  let failed = false;
  for (const name of options.scenarios) {
    console.log(`\n== ${name}`);
    let report: ScenarioReport;
    try {
      report = await runScenario(name, options);
    } catch (error) {
      // Keep the other scenarios' figures; the run still fails at the end.
      console.error(error instanceof Error ? error.stack : error);
      report = { scenario: name, figures: [], notes: [`failed: ${error instanceof Error ? error.message : String(error)}`], seconds: 0 };
      failed = true;
    }
    for (const note of report.notes) console.log(`  note: ${note}`);
    for (const explain of report.explains ?? []) console.log(`  EXPLAIN ${explain.label} (${explain.ms} ms):\n${explain.plan.replace(/^/gm, "    ")}`);
    results.scenarios.push(report);
  }
  console.log(`\n${formatTable(results)}`);
  console.log(`\n${formatGoals(results)}`);
  writeResults(options.out, results);
  console.log(`\nwrote ${options.out}`);
  if (failed) throw new Error("a scenario failed (see above)");
}

/** The best dispatch rate of this run, which sizes the send-lag window. */
let measuredDispatchRate: number | undefined;

async function runScenario(name: ScenarioName, options: BenchOptions): Promise<ScenarioReport> {
  switch (name) {
    case "ingest":
      return benchIngest(options.sizes.ingest);
    case "collector":
      return benchCollector(options.sizes.collector);
    case "dispatch": {
      const report = await benchDispatch(options.sizes.dispatch);
      const rates = report.figures.filter((f) => f.unit === "texts/s" && f.value !== null).map((f) => f.value!);
      measuredDispatchRate = rates.length ? Math.max(...rates) : undefined;
      return report;
    }
    case "dispatch-discounts":
      return benchDispatchDiscounts(options.sizes.dispatchDiscounts);
    case "send-lag":
      return benchSendLag(options.sizes.sendLag, sendLagArrival(options));
    case "dashboard":
      return benchDashboard(options.sizes.dashboard);
    case "campaign-fanout":
      return benchCampaignFanout(options.sizes.campaignFanout);
  }
}

/** Half the dispatch rate measured in this run, else --arrival, else the size's default. */
function sendLagArrival(options: BenchOptions): { perSecond: number; why: string } | undefined {
  if (measuredDispatchRate) return { perSecond: 0.5 * measuredDispatchRate, why: `half the ${Math.round(measuredDispatchRate * 10) / 10} texts/s measured by the dispatch scenario` };
  if (options.arrivalPerSecond) return { perSecond: options.arrivalPerSecond, why: "given by --arrival" };
  return undefined;
}

function build() {
  console.log("== npm run build");
  const result = spawnSync("npm", ["run", "build"], { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  if (result.status !== 0) throw new Error(`npm run build failed:\n${result.stderr}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
  },
);
