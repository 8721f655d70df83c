import type { BenchSizes } from "./options";
import type { ScenarioReport } from "./results";
export async function benchIngest(_sizes: BenchSizes["ingest"]): Promise<ScenarioReport> { throw new Error("todo"); }
