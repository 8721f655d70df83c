// npm start: the production server. Run `npm run build` first.
import { existsSync } from "node:fs";
import { parseEnv } from "../app/env.server";
import { runMain, startHttpServer } from "./lib/http-server";

async function main() {
  if (existsSync(".env")) process.loadEnvFile(".env");
  const env = parseEnv(process.env); // fail fast, with every problem listed
  const server = await startHttpServer({ port: env.PORT, host: env.HOST });
  console.log(`Nudge listening on ${server.url} (${server.database})`);
  return server;
}

runMain(main);
