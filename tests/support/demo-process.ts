import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { createServer, type AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureAppBuilt } from "./app-build";

export interface DemoProcess {
  baseUrl: string;
  stop(): Promise<void>;
}

export interface DemoOptions {
  env?: Record<string, string>;
  /** Run the store simulator (default: off, --no-simulate, so tests send their own traffic). */
  simulate?: boolean;
  /** More arguments for scripts/demo.ts (--seed, --shoppers, --days, --time-scale, --ci). */
  args?: string[];
}

/**
 * Starts `npm run demo` (scripts/demo.ts: build, seed, serve) as a child process on a free
 * port with its own data folder, and resolves once it prints its admin URL. The app is built
 * once per test run and shared.
 */
export async function startDemo(options: DemoOptions = {}): Promise<DemoProcess> {
  const { child, cleanup } = await spawnDemo(options);
  let output = "";
  const baseUrl = await new Promise<string>((resolve, reject) => {
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
  return {
    baseUrl,
    async stop() {
      await stopGroup(child);
      await cleanup();
    },
  };
}

/** Runs `npm run demo -- --ci …` to its end: its exit code, stdout (the JSON summary) and stderr. */
export async function runDemoToEnd(options: DemoOptions & { timeoutMs?: number }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { child, cleanup } = await spawnDemo({ ...options, simulate: true });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => void stopGroup(child), options.timeoutMs ?? 150_000);
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  clearTimeout(timer);
  await stopGroup(child);
  await cleanup();
  return { code, stdout, stderr };
}

async function spawnDemo(options: DemoOptions): Promise<{ child: ChildProcess; cleanup(): Promise<void> }> {
  await ensureAppBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), "nudge-e2e-"));
  // The demo sets its own Shopify values (its own stand-in Shopify, billing on); keep only the
  // database choice from the test file.
  const env: NodeJS.ProcessEnv = { ...process.env, NUDGE_DATA_DIR: dataDir };
  for (const name of ["SHOPIFY_APP_URL", "SHOPIFY_API_KEY", "SHOPIFY_API_ORIGIN", "NUDGE_BILLING", "NODE_ENV", "PORT", "NUDGE_IN_PROCESS_WORKER", "NUDGE_TIME_SCALE", "NUDGE_CLOCK_START"])
    delete env[name];
  for (const name of Object.keys(env)) if (name.startsWith("TWILIO_")) delete env[name];
  // On PostgreSQL each demo gets its own schema: two demos must not share shops or outboxes.
  const schema = process.env.DATABASE_URL ? `${process.env.DATABASE_SCHEMA ?? "demo"}_${randomBytes(3).toString("hex")}` : undefined;
  if (schema) env.DATABASE_SCHEMA = schema;
  Object.assign(env, options.env);
  // A fixed free port, so SHOPIFY_APP_URL (and the tracked links in texts) point at it.
  const args = ["tsx", "scripts/demo.ts", "--port", String(await freePort()), "--skip-build", ...(options.simulate ? [] : ["--no-simulate"]), ...(options.args ?? [])];
  // Its own process group: npx doesn't pass SIGTERM on to tsx and node, so stopGroup()
  // signals the whole group, or every test run would leave demo servers behind.
  const child: ChildProcess = spawn("npx", args, { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  return {
    child,
    async cleanup() {
      rmSync(dataDir, { recursive: true, force: true });
      if (schema) {
        const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.end();
      }
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** SIGTERM to the demo's whole process group; SIGKILL what is left after 10 s. */
async function stopGroup(child: ChildProcess): Promise<void> {
  const exited = child.exitCode === null && child.signalCode === null ? new Promise((resolve) => child.once("exit", resolve)) : null;
  if (groupAlive(child.pid!)) process.kill(-child.pid!, "SIGTERM");
  await exited;
  for (let i = 0; i < 50 && groupAlive(child.pid!); i++) await new Promise((resolve) => setTimeout(resolve, 200));
  if (groupAlive(child.pid!)) process.kill(-child.pid!, "SIGKILL");
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}
