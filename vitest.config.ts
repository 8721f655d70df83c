import tsconfigPaths from "vite-tsconfig-paths";
import { defineConfig } from "vitest/config";

// Separate from vite.config.ts: the Remix plugin must not run under vitest.
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["app/**/*.test.ts", "tests/**/*.test.ts"],
    setupFiles: ["tests/setup/per-file-env.ts", "tests/setup/drain-webhooks.ts"],
    globalSetup: ["tests/setup/global-run-id.ts", "tests/setup/global-pglite-template.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
