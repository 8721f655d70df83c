import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import type { BenchDatabase } from "./bench-database";

export const BENCH_API_KEY = "nudge-bench-key";
export const BENCH_SECRET = "nudge-bench-secret";
export const BENCH_ACCOUNT_SID = `AC${"b".repeat(32)}`;
export const BENCH_SERVICE_SID = `MG${"b".repeat(32)}`;
/** Seals the shops' own Twilio tokens (ownSenders in dispatch-run.ts), as NUDGE_ENCRYPTION_KEY. */
export const BENCH_ENCRYPTION_KEY = Buffer.alloc(32, 0xb);

/**
 * The environment of a server or worker the benchmark starts: production mode, the bench
 * database, Twilio pointed at the local fake when given, and only warnings logged (the
 * dispatcher's per-tick info lines would otherwise be measured as pipe throughput).
 */
export function appEnv(db: BenchDatabase, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    LOG_LEVEL: "warn",
    SHOPIFY_API_KEY: BENCH_API_KEY,
    SHOPIFY_API_SECRET: BENCH_SECRET,
    SHOPIFY_APP_URL: "https://nudge.bench.example",
    TWILIO_ACCOUNT_SID: BENCH_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: "bench-twilio-auth-token-0123456789",
    TWILIO_MESSAGING_SERVICE_SID: BENCH_SERVICE_SID,
    NUDGE_ENCRYPTION_KEY: BENCH_ENCRYPTION_KEY.toString("base64"),
    // The benchmark measures sending, not billing (ADR 023): no plan to approve.
    NUDGE_BILLING: "off",
    ...db.env,
    ...extra,
  };
  if (db.kind === "pglite") delete env.DATABASE_URL;
  delete env.TWILIO_FROM_NUMBER;
  delete env.TWILIO_EDGE;
  delete env.TWILIO_REGION;
  return env;
}

export interface RunningChild {
  child: ChildProcess;
  exited: Promise<number>;
  /** Everything written to stdout so far. */
  stdout(): string;
  stderr(): string;
}

/** Runs a script in its own Node process: a TypeScript one through tsx (`node --import tsx`), built JavaScript as it is. */
export function spawnScript(script: string, args: string[], env: NodeJS.ProcessEnv, nodeArgs: string[] = []): RunningChild {
  const loader = script.endsWith(".ts") ? ["--import", "tsx"] : [];
  const child = spawn(process.execPath, [...nodeArgs, ...loader, script, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (err += chunk.length + err.length > 200_000 ? "" : chunk));
  const exited = new Promise<number>((resolve) => child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1))));
  return { child, exited, stdout: () => out, stderr: () => err };
}

/** Resolves with the first stdout line matching `pattern`, or rejects if the child exits first. */
export async function waitForLine(running: RunningChild, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null = null;
  void running.exited.then((code) => (exitCode = code));
  while (Date.now() < deadline) {
    const match = running.stdout().match(pattern);
    if (match) return match;
    if (exitCode !== null) throw new Error(`process exited (${exitCode}) before printing ${pattern}:\n${running.stderr().slice(-2000)}`);
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${pattern}:\n${running.stderr().slice(-2000)}`);
}

/** Resident set size of a process in MB, from /proc (Linux). */
export function rssMb(pid: number): number | null {
  try {
    const match = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB/m);
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

export async function stopChild(running: RunningChild): Promise<void> {
  if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill("SIGTERM");
  const timer = setTimeout(() => running.child.kill("SIGKILL"), 10_000);
  await running.exited;
  clearTimeout(timer);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
