// A dispatcher process for the crash tests: the same startDispatcher loop `npm run worker`
// runs, tuned so a restarted worker recovers its dead predecessor's rows at once (it is the
// only worker, so every row left in `sending` belongs to a dead process). Prints "ready".
import { runDispatcherProcess } from "../../support/dispatcher-process";

runDispatcherProcess(async () => ({ pollMs: 50, staleAfterMs: 0, recoverEveryMs: 100, batchSize: 20 }));
