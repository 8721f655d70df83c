import type { BenchSizes } from "./options";
import type { ScenarioReport } from "./results";
export async function benchSendLag(_sizes: BenchSizes["sendLag"]): Promise<ScenarioReport> { throw new Error("todo"); }
