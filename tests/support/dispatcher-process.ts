import type { DispatcherOptions } from "../../app/dispatch/worker.server";

/**
 * The body of a worker process for the crash tests: the same startDispatcher loop `npm run
 * worker` runs, with the test's `options`, printing "ready" once it runs and stopping cleanly
 * on SIGTERM (a SIGKILL is the crash under test). `options` is called once the process runs,
 * so it may import app modules itself.
 */
export function runDispatcherProcess(options: () => Promise<DispatcherOptions>): void {
  startDispatcherProcess(options).catch((error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
  });
}

async function startDispatcherProcess(options: () => Promise<DispatcherOptions>): Promise<void> {
  const { startDispatcher } = await import("../../app/dispatch/worker.server");
  const { database, closeDatabase } = await import("../../app/db.server");
  await database();
  const dispatcher = startDispatcher(await options());
  console.log("ready");
  process.once("SIGTERM", async () => {
    await dispatcher.stop();
    await closeDatabase();
    process.exit(0);
  });
}
