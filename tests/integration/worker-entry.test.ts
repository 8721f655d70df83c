import { spawn } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureAppBuilt } from "../support/app-build";

// `npm run worker` runs the built build/entry/worker.js with node, as `npm start` runs serve.js.
const WORKER = "build/entry/worker.js";

function startWorker(env: Record<string, string>) {
  const child = spawn(process.execPath, [WORKER], { env: { ...process.env, NUDGE_DATA_DIR: "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { child, exited, output: () => output };
}

describe("npm run worker (the built dispatcher entry)", () => {
  beforeAll(() => ensureAppBuilt(), 300_000);

  it("refuses to start on PGlite, whose files belong to the web process", async () => {
    const worker = startWorker({ DATABASE_URL: "" });
    expect(await worker.exited).toBe(1);
    expect(worker.output()).toContain("npm run worker needs DATABASE_URL");
  });

  it.runIf(process.env.DATABASE_URL)("runs the dispatcher on PostgreSQL and stops cleanly on SIGTERM", async () => {
    const worker = startWorker({});
    const ready = "Nudge worker on PostgreSQL";
    for (let i = 0; i < 300 && !worker.output().includes(ready); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(worker.output()).toContain(ready);
    expect(worker.output()).toContain(`(schema ${process.env.DATABASE_SCHEMA})`);
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
  });
});
