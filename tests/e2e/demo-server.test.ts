import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getHmac } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkoutPayload } from "../support/shopify";

// `npm run demo` end to end: build, seed, serve over real HTTP, signed webhooks in.
const SECRET = "e2e-demo-secret";
const CHROME_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";
let child: ChildProcess;
let baseUrl: string;
const dataDir = mkdtempSync(join(tmpdir(), "nudge-e2e-"));

beforeAll(async () => {
  // The demo sets its own Shopify values; keep only the database choice from this test file.
  const env: NodeJS.ProcessEnv = { ...process.env, NUDGE_DATA_DIR: dataDir, SHOPIFY_API_SECRET: SECRET };
  for (const name of ["SHOPIFY_APP_URL", "SHOPIFY_API_KEY", "NODE_ENV", "PORT", "NUDGE_IN_PROCESS_WORKER"]) delete env[name];
  for (const name of Object.keys(env)) if (name.startsWith("TWILIO_")) delete env[name];
  child = spawn("npx", ["tsx", "scripts/demo.ts", "--port", "0"], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo did not start:\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/(http:\/\/localhost:\d+)\/demo/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => reject(new Error(`demo exited with ${code}:\n${output}`)));
  });
}, 180_000);

afterAll(() => {
  child?.kill("SIGTERM");
  rmSync(dataDir, { recursive: true, force: true });
});

function signedWebhook(topic: string, payload: unknown, secret = SECRET) {
  const body = JSON.stringify(payload);
  return fetch(`${baseUrl}/webhooks/${topic}`, {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "x-shopify-hmac-sha256": getHmac(body, secret),
      "x-shopify-topic": topic,
      "x-shopify-shop-domain": "nudge-demo.myshopify.com",
      "x-shopify-api-version": "2026-07",
      "x-shopify-webhook-id": crypto.randomUUID(),
    },
  });
}

async function openAdmin() {
  const entry = await fetch(`${baseUrl}/demo`, { redirect: "manual" });
  expect(entry.status).toBe(302);
  const location = entry.headers.get("location")!;
  expect(location).toMatch(/^\/app\?.*id_token=/);
  return fetch(`${baseUrl}${location}`, { headers: { "user-agent": CHROME_UA } });
}

describe("npm run demo", () => {
  it("serves the embedded admin for the seeded demo shop with a locally minted session token", async () => {
    const page = await openAdmin();
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Shoppers by journey stage");
    expect(html).toContain('src="/demo/app-bridge.js"');
  });

  it("refuses the admin without a session token", async () => {
    const res = await fetch(`${baseUrl}/app?embedded=1&shop=nudge-demo.myshopify.com`, { headers: { "user-agent": CHROME_UA }, redirect: "manual" });
    expect(res.status).not.toBe(200);
  });

  it("takes a signed checkout webhook over HTTP and shows the shopper on the dashboard", async () => {
    const now = new Date();
    const res = await signedWebhook("checkouts/create", checkoutPayload({ token: "e2e-1", createdAt: now, phone: "+16135550100" }));
    expect(res.status).toBe(200);
    const html = await (await openAdmin()).text();
    expect(html).toContain("1 of 1 shoppers have SMS consent on record.");
    expect(html).toContain("1 scheduled · 0 cancelled · 0 sent");
  });

  it("answers a forged webhook with 401", async () => {
    const res = await signedWebhook("checkouts/create", checkoutPayload({ token: "e2e-2", createdAt: new Date() }), "wrong-secret");
    expect(res.status).toBe(401);
  });
});
