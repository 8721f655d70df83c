// npm run nudge -- <command>: the ops CLI for self-hosters (doctor, inspect, simulate).
// With the embedded PGlite, stop the server first: its files belong to one process.
import { existsSync } from "node:fs";

async function main() {
  if (existsSync(".env")) process.loadEnvFile(".env");
  const { runCli } = await import("../app/ops/cli.server");
  const { closeDatabase } = await import("../app/db.server");
  const { clock } = await import("../app/clock.server");
  const code = await runCli(process.argv.slice(2), {
    out: (text) => console.log(text),
    err: (text) => console.error(text),
    env: process.env,
    now: () => clock.now(),
  });
  await closeDatabase();
  process.exit(code);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
