// npm start: the production server. Run `npm run build` first.
import { existsSync } from "node:fs";
import { parseEnv } from "../app/env.server";
import { startHttpServer } from "./lib/http-server";

async function main() {
  if (existsSync(".env")) process.loadEnvFile(".env");
  const env = parseEnv(process.env); // fail fast, with every problem listed
  const server = await startHttpServer({ port: env.PORT });
  console.log(`Nudge listening on ${server.url} (${server.database})`);
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
