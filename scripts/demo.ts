// npm run demo: the real app, offline, on an embedded PostgreSQL (PGlite) under ./data/demo,
// with a seeded demo shop, a local stand-in Shopify (Admin API and token endpoint, with the
// shop's plan approved), a built-in phone network standing in for Twilio, and a store
// simulator playing a seeded week of shoppers. No Shopify, Twilio or database server needed.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { Env } from "../app/env.server";
import { runMain, type RunningServer } from "./lib/http-server";

const { values: args } = parseArgs({
  options: {
    port: { type: "string", default: process.env.PORT ?? "3000" },
    "skip-build": { type: "boolean", default: false },
    "no-simulate": { type: "boolean", default: false },
    ci: { type: "boolean", default: false },
    seed: { type: "string", default: "2026" },
    shoppers: { type: "string" },
    days: { type: "string" },
    "time-scale": { type: "string" },
  },
});

const DEMO_SECRET = "nudge-demo-secret";
const DEFAULT_DATA_DIR = "./data/demo";
const simulate = args.ci || !args["no-simulate"];
// In --ci mode stdout carries only the JSON summary: everything else goes to stderr.
if (args.ci) {
  console.log = console.info = console.error;
  process.env.LOG_LEVEL ||= "warn";
}
const say = (line: string) => console.log(line);

process.env.NODE_ENV = "production";
process.env.PORT = args.port;
process.env.NUDGE_DEMO = "1";
// Billing is on as in production (ADR 023): the demo's Shopify holds an approved plan whose cap
// comfortably covers the simulated week's texts at the default price.
process.env.NUDGE_DEFAULT_CAP ||= "100.00";
process.env.SHOPIFY_API_KEY ||= "nudge-demo-api-key";
process.env.SHOPIFY_API_SECRET ||= DEMO_SECRET;
process.env.SHOPIFY_APP_URL ||= `http://localhost:${args.port}`;
process.env.NUDGE_DATA_DIR ||= DEFAULT_DATA_DIR;
process.env.SCOPES ||= "read_orders,read_all_orders,read_customers,write_customers,write_discounts,write_app_proxy,write_pixels,read_customer_events";

async function main(): Promise<RunningServer> {
  const { configureDemo, startSimulation } = await import("./lib/demo-simulation");
  const setup = await configureDemo({
    simulate,
    ci: args.ci,
    seed: Number(args.seed),
    shoppers: args.shoppers ? Number(args.shoppers) : undefined,
    days: args.days ? Number(args.days) : undefined,
    timeScale: args["time-scale"] ? Number(args["time-scale"]) : undefined,
    say,
  });
  // A simulated run starts from an empty store: the same seed must give the same story.
  let scratchDir: string | null = null;
  if (args.ci && !process.env.DATABASE_URL && process.env.NUDGE_DATA_DIR === DEFAULT_DATA_DIR) {
    process.env.NUDGE_DATA_DIR = scratchDir = mkdtempSync(join(tmpdir(), "nudge-demo-ci-"));
  } else if (simulate && !process.env.DATABASE_URL && resolve(process.env.NUDGE_DATA_DIR!) === resolve(DEFAULT_DATA_DIR)) {
    rmSync(DEFAULT_DATA_DIR, { recursive: true, force: true });
    say(`Starting from an empty ${DEFAULT_DATA_DIR} (the simulation replays its scenario from scratch; --no-simulate keeps your data).`);
  }

  if (!args["skip-build"]) {
    say("Building the app (npm run build)…");
    const build = spawnSync("npm", ["run", "build"], { stdio: ["ignore", "ignore", "inherit"] });
    if (build.status !== 0) throw new Error("build failed");
  }
  const { parseEnv } = await import("../app/env.server");
  const env = parseEnv(process.env);
  // The demo's Shopify, unless SHOPIFY_API_ORIGIN points at one of your own (then nothing is seeded for billing).
  const shopify = process.env.SHOPIFY_API_ORIGIN ? null : await startShopifyForDemo(env);
  if (shopify) process.env.SHOPIFY_API_ORIGIN = shopify.url;
  const { seedDemoShop } = await import("./lib/seed-demo");
  await seedDemoShop({
    subscription: shopify?.subscription,
    url: env.DATABASE_URL,
    schema: env.DATABASE_SCHEMA,
    dataDir: env.NUDGE_DATA_DIR,
    scopes: env.SCOPES,
    settings: setup.shopSettings,
    // The campaign's audience signed up the day before the run starts.
    subscribers: setup.campaignAudience,
    subscribedAt: process.env.NUDGE_CLOCK_START ? new Date(Date.parse(process.env.NUDGE_CLOCK_START) - 86_400_000) : undefined,
  });

  const { startHttpServer } = await import("./lib/http-server");
  const { demoStorefront } = await import("../app/demo/storefront.server");
  const server = await startHttpServer({ port: env.PORT, host: "127.0.0.1", start: { storefrontFor: demoStorefront } });
  const { DEMO_SHOP } = await import("../app/demo/session-token.server");
  const secret = env.SHOPIFY_API_SECRET === DEMO_SECRET ? DEMO_SECRET : "(from your environment)";
  say(`
Nudge demo is running (${server.database}).

  Admin (embedded app, demo shop ${DEMO_SHOP}):
    ${server.url}/demo
  Shoppers' phones (the texts they get, live):
    ${server.url}/demo/phones${setup.phones ? "" : "  (off: TWILIO_API_BASE_URL points at your own Twilio stand-in)"}

  ${simulate ? setup.description : "No simulated shoppers (--no-simulate)."}
  Webhooks: POST ${server.url}/webhooks/<topic>, e.g. /webhooks/checkouts/create,
  signed with SHOPIFY_API_SECRET=${secret} and X-Shopify-Shop-Domain: ${DEMO_SHOP}

Press Ctrl+C to stop.`);

  const closeAll = async () => {
    await server.close();
    await setup.phones?.close();
    await shopify?.close();
    if (scratchDir) rmSync(scratchDir, { recursive: true, force: true });
  };
  if (!simulate) return { ...server, close: closeAll };

  const simulation = await startSimulation(setup, { appUrl: server.url, apiSecret: env.SHOPIFY_API_SECRET, verbose: !args.ci });
  if (!args.ci) return { ...server, close: async () => (simulation.stop(), closeAll()) };

  const summary = await simulation.summarize();
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  await closeAll();
  process.exit(summary.matchesExpected ? 0 : 1);
}

/** The demo shop's Shopify on a free local port (app/demo/shopify/demo-shopify.server.ts). */
async function startShopifyForDemo(env: Env) {
  const { startDemoShopify } = await import("../app/demo/shopify/demo-shopify.server");
  const { DEMO_SHOP } = await import("../app/demo/session-token.server");
  const { DEMO_OFFLINE_TOKEN, DEMO_SHOP_DETAILS } = await import("./lib/seed-demo");
  const { billingConfigFrom, usageTerms, USAGE_PLAN } = await import("../app/billing/plan");
  const billing = billingConfigFrom({ ...env, NUDGE_BILLING: "on" });
  // The billing period began when the demo's clock starts (the simulated week's first morning).
  const periodStart = process.env.NUDGE_CLOCK_START ? Date.parse(process.env.NUDGE_CLOCK_START) : Date.now();
  return startDemoShopify({
    apiKey: env.SHOPIFY_API_KEY,
    apiSecret: env.SHOPIFY_API_SECRET,
    scope: env.SCOPES,
    shop: DEMO_SHOP,
    offlineToken: DEMO_OFFLINE_TOKEN,
    details: DEMO_SHOP_DETAILS,
    plan: { name: USAGE_PLAN, cappedAmount: billing!.defaultCap, currency: billing!.currency, terms: usageTerms(billing!), currentPeriodEnd: new Date(periodStart + 30 * 86_400_000) },
  });
}

runMain(main);
