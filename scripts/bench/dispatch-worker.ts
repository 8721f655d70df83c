// One benchmark dispatcher process: the same startDispatcher loop `npm run worker` (and the
// web process) runs, on PostgreSQL or PGlite, stopping once nothing is left to send so the
// harness knows the run is over. Usage: dispatch-worker.ts <maxSeconds>
// Prints "dispatcher ready" once the dispatcher is (its `ready`: pool warm, send path run once, listening).
import { setTimeout as sleep } from "node:timers/promises";

async function main() {
  const maxMs = Number(process.argv[2] ?? 600) * 1000;
  const { database, closeDatabase } = await import("../../app/db.server");
  const { startDispatcher } = await import("../../app/dispatch/worker.server");
  const { sql } = await database();
  const dispatcher = startDispatcher();
  await dispatcher.ready;
  console.log("dispatcher ready");
  const started = Date.now();
  for (;;) {
    // The harness's own check, so it must cost the measured system little: once a second, each
    // status through the (status, due_at) index. `status IN (…)` every 200 ms was planned as a
    // scan and took 7–8 ms of PostgreSQL per call, 15–20% of a core over a send-lag window.
    await sleep(1000);
    const [row] = await sql.query<{ left: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM scheduled_message WHERE status = 'scheduled') OR EXISTS (SELECT 1 FROM scheduled_message WHERE status = 'sending') AS left`,
    );
    if (!row?.left || Date.now() - started > maxMs) break;
  }
  await dispatcher.stop();
  await closeDatabase();
  console.log("worker done");
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
