#!/usr/bin/env node
// Runs the Prisma CLI with no network. Prisma 6 checks for downloaded engines before
// every command; we use the Rust-free client (engineType = "client") and the CLI's
// bundled WASM schema engine, so dummy engine paths satisfy that check.
// See docs/decisions/001-postgres-everywhere.md.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dir = join(tmpdir(), "nudge-prisma-offline");
const dummyEngine = join(dir, "dummy-engine");
if (!existsSync(dummyEngine)) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(dummyEngine, "#!/bin/sh\nexit 0\n");
  chmodSync(dummyEngine, 0o755);
}

const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? dummyEngine,
  PRISMA_QUERY_ENGINE_LIBRARY: process.env.PRISMA_QUERY_ENGINE_LIBRARY ?? dummyEngine,
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  CHECKPOINT_DISABLE: "1",
};
const result = spawnSync(join("node_modules", ".bin", "prisma"), process.argv.slice(2), {
  stdio: "inherit",
  env,
});
process.exit(result.status ?? 1);
