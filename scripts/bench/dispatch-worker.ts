// One benchmark dispatcher process: the same startDispatcher loop `npm run worker` (and the
// web process) runs, on PostgreSQL or PGlite, stopping once nothing is left to send so the
// harness knows the run is over. Usage: dispatch-worker.ts <maxSeconds> [startOutboxInMs]
// Each worker prints "dispatcher ready" once its loop runs. With startOutboxInMs, this worker
// (the send-lag run's first) waits for SIGUSR2, which the harness sends when every worker is
// ready, then moves the seeded due times so the first falls due that long after: no process's
// start-up is measured as lag.
import { setTimeout as sleep } from "node:timers/promises";

async function main() {
  const maxMs = Number(process.argv[2] ?? 600) * 1000;
  const { database, closeDatabase } = await import("../../app/db.server");
  const { startDispatcher } = await import("../../app/dispatch/worker.server");
  const { sql } = await database();
  const startOutboxInMs = process.argv[3] === undefined ? null : Number(process.argv[3]);
  const dispatcher = startDispatcher();
  if (startOutboxInMs !== null) {
    const allReady = new Promise((resolve) => process.once("SIGUSR2", resolve));
    console.log("dispatcher ready");
    await allReady;
    await sql.query(
      `UPDATE scheduled_message SET due_at = due_at + ((now() + $1::bigint * interval '1 millisecond') - (SELECT min(due_at) FROM scheduled_message WHERE status = 'scheduled'))
       WHERE status = 'scheduled'`,
      [startOutboxInMs],
    );
  } else {
    console.log("dispatcher ready");
  }
  const started = Date.now();
  for (;;) {
    await sleep(200);
    const [row] = await sql.query<{ left: boolean }>(`SELECT EXISTS (SELECT 1 FROM scheduled_message WHERE status IN ('scheduled', 'sending')) AS left`);
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
