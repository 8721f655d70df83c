import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";

const MARKER = "build/.test-run-id";
const LOCK = ".build-lock";

/**
 * Builds the app (`npm run build`: Remix's build, then the server entry) once per test run,
 * however many test files ask for it at once: the first takes a lock folder and builds; the
 * others wait for its marker.
 */
export async function ensureAppBuilt(): Promise<void> {
  const runId = process.env.NUDGE_TEST_RUN_ID ?? `solo-${process.pid}`;
  const deadline = Date.now() + 240_000;
  while (Date.now() < deadline) {
    if (readMarker() === runId) return;
    if (takeLock()) {
      try {
        if (readMarker() === runId) return;
        const build = await buildApp();
        if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stderr}`);
        writeFileSync(MARKER, runId);
        return;
      } finally {
        rmSync(LOCK, { recursive: true, force: true });
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error("timed out waiting for another test file to build the app");
}

/**
 * Runs the build without blocking: a synchronous spawn stalls this test worker's event loop
 * for the whole build, and on a busy machine vitest then reports "Timeout calling onTaskUpdate".
 */
function buildApp(): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("npm", ["run", "build"], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.once("exit", (status) => resolve({ status, stderr }));
  });
}

function readMarker(): string | null {
  try {
    return readFileSync(MARKER, "utf8");
  } catch {
    return null;
  }
}

function takeLock(): boolean {
  try {
    // A lock left by a run that was killed mid-build.
    if (Date.now() - statSync(LOCK).mtimeMs > 300_000) rmSync(LOCK, { recursive: true, force: true });
  } catch {
    // no lock yet
  }
  try {
    mkdirSync(LOCK);
    return true;
  } catch {
    return false;
  }
}
