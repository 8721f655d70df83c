// A dispatcher process for the crash tests: the same startDispatcher loop `npm run worker`
// runs, tuned so a restarted worker recovers its dead predecessor's rows at once (it is the
// only worker, so every row left in `sending` belongs to a dead process). Prints "ready".
// Ticks of 40 across the test's 3 shops want over 10 codes a shop, so pooled codes (ADR 025)
// are filled and taken between the kills too.
import { runDispatcherProcess } from "../../support/dispatcher-process";

runDispatcherProcess(async () => ({ pollMs: 50, staleAfterMs: 0, recoverEveryMs: 100, batchSize: 40 }));
