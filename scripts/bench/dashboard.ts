import type { BenchSizes } from "./options";
import type { ScenarioReport } from "./results";
export async function benchDashboard(_sizes: BenchSizes["dashboard"]): Promise<ScenarioReport> { throw new Error("todo"); }
