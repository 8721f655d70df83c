import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureAppBuilt } from "../support/app-build";
import { freePort } from "../support/demo-process";

// Issue #18, item 3: Remix 2's CSRF check throws from handleDocumentRequest, so a form posted to
// a page from another origin got a 500. On the production server (`npm start`'s serve.js) it is
// a 403; resource routes (the pixel collector, webhooks) still reach their own handlers.
const dataDir = mkdtempSync(join(tmpdir(), "nudge-cross-origin-"));
let server: ChildProcess;
let baseUrl = "";
let output = "";

beforeAll(async () => {
  await ensureAppBuilt();
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", PORT: String(port), HOST: "127.0.0.1", SHOPIFY_APP_URL: baseUrl, NUDGE_DATA_DIR: dataDir, NUDGE_IN_PROCESS_WORKER: "off" };
  delete env.NUDGE_DEMO;
  server = spawn(process.execPath, ["build/entry/serve.js"], { env, stdio: ["ignore", "pipe", "pipe"] });
  server.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  server.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  while (!output.includes("Nudge listening on")) {
    if (Date.now() > deadline || server.exitCode !== null) throw new Error(`the server did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}, 300_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGTERM");
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

const crossOrigin = (path: string, init: RequestInit = {}) =>
  fetch(new URL(path, baseUrl), { method: "POST", ...init, headers: { origin: "https://x.myshopify.com", "content-type": "application/x-www-form-urlencoded", ...init.headers } });

describe("a cross-origin POST on the production server", () => {
  it.each(["/", "/app", "/app/settings", "/no-such-page", "/app/settings.data"])("to the page %s gets a 403, not Remix's 500", async (path) => {
    const res = await crossOrigin(path, { body: "intent=x" });
    expect(res.status).toBe(403);
  });

  it("to a resource route gets that route's own 4xx", async () => {
    expect((await crossOrigin("/auth/login", { body: "shop=x" })).status).toBe(405);
  });

  it("with an Origin that isn't a URL gets a 4xx too", async () => {
    expect((await crossOrigin("/app", { headers: { origin: "null" }, body: "a=1" })).status).toBe(403);
  });

  it("reaches the pixel collector, a resource route, which answers for itself", async () => {
    const body = JSON.stringify({ shop: "x.myshopify.com", clientId: "c0ffee00-0000-4000-8000-000000000001", customer: null, events: [] });
    const res = await crossOrigin("/pixel/events", { headers: { "content-type": "text/plain" }, body });
    expect(res.status).toBe(422);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const preflight = await fetch(new URL("/pixel/events", baseUrl), { method: "OPTIONS", headers: { origin: "https://x.myshopify.com", "access-control-request-method": "POST" } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-methods")).toContain("POST");
  });

  it("leaves same-origin posts to Remix", async () => {
    const res = await fetch(new URL("/no-such-page", baseUrl), { method: "POST", headers: { origin: baseUrl }, body: "a=1" });
    expect(res.status).toBe(404);
  });
});
