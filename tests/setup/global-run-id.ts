import { randomUUID } from "node:crypto";

// One id per `vitest run`, so browser test files can share one production build of the app
// (tests/support/app-build.ts) instead of each building, or racing to build, their own.
export default function setup() {
  process.env.NUDGE_TEST_RUN_ID ??= randomUUID();
}
