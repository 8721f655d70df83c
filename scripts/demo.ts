// npm run demo: the real app, offline, on an embedded PostgreSQL (PGlite) under ./data/demo,
// with a seeded demo shop. No Shopify account, Twilio account or database server needed.
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { runMain } from "./lib/http-server";

const { values: args } = parseArgs({
  options: {
    port: { type: "string", default: process.env.PORT ?? "3000" },
    "skip-build": { type: "boolean", default: false },
  },
});

const DEMO_SECRET = "nudge-demo-secret";
process.env.NODE_ENV = "production";
process.env.PORT = args.port;
process.env.NUDGE_DEMO = "1";
process.env.SHOPIFY_API_KEY ||= "nudge-demo-api-key";
process.env.SHOPIFY_API_SECRET ||= DEMO_SECRET;
process.env.SHOPIFY_APP_URL ||= `http://localhost:${args.port}`;
process.env.NUDGE_DATA_DIR ||= "./data/demo";
process.env.SCOPES ||= "read_orders,read_customers,write_customers,write_discounts,write_app_proxy";

async function main() {
  if (!args["skip-build"]) {
    console.log("Building the app (remix vite:build)…");
    const build = spawnSync("npx", ["remix", "vite:build"], { stdio: ["ignore", "ignore", "inherit"] });
    if (build.status !== 0) throw new Error("build failed");
  }
  const { parseEnv } = await import("../app/env.server");
  const env = parseEnv(process.env);
  const { seedDemoShop } = await import("./lib/seed-demo");
  await seedDemoShop({ url: env.DATABASE_URL, schema: env.DATABASE_SCHEMA, dataDir: env.NUDGE_DATA_DIR, scopes: env.SCOPES });

  const { startHttpServer } = await import("./lib/http-server");
  const server = await startHttpServer({ port: env.PORT, host: "127.0.0.1" });
  const { DEMO_SHOP } = await import("../app/demo/session-token.server");
  console.log(`
Nudge demo is running (${server.database}).

  Admin (embedded app, demo shop ${DEMO_SHOP}):
    ${server.url}/demo

  Webhooks: POST ${server.url}/webhooks/<topic>, e.g. /webhooks/checkouts/create,
  signed with SHOPIFY_API_SECRET=${env.SHOPIFY_API_SECRET === DEMO_SECRET ? DEMO_SECRET : "(from your environment)"}
  and X-Shopify-Shop-Domain: ${DEMO_SHOP}

Press Ctrl+C to stop.`);
  return server;
}

runMain(main);
