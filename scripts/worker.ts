// npm run worker: the dispatcher (and the order-history importer) alone, for running several beside the web process.
// Needs PostgreSQL (DATABASE_URL): the embedded PGlite belongs to one process.
import { existsSync } from "node:fs";

async function main() {
  if (existsSync(".env")) process.loadEnvFile(".env");
  const { parseEnv } = await import("../app/env.server");
  const env = parseEnv(process.env);
  if (!env.DATABASE_URL) throw new Error("npm run worker needs DATABASE_URL: PGlite can only be opened by one process (the web server runs the dispatcher in-process).");
  const { database, closeDatabase } = await import("../app/db.server");
  const { startDispatcher } = await import("../app/dispatch/worker.server");
  const description = (await database()).description;
  const dispatcher = startDispatcher();
  const { startOrderImporter } = await import("../app/order-import/importer.server");
  const importer = startOrderImporter();
  const stop = async () => {
    await Promise.all([dispatcher.stop(), importer.stop()]);
    await closeDatabase();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  // Only now: whoever waits for this line may stop the worker at once, and SIGTERM must find the
  // handler. After the dispatcher's warm-up, so a deploy that waits for it (a readiness check)
  // stops the old worker only once this one has its connections open and its send path run.
  await dispatcher.ready;
  console.log(`Nudge worker on ${description}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
