import { defineConfig } from "vite";

// The production entries, the server (scripts/serve.ts) and the dispatcher alone (scripts/worker.ts),
// with what they import from app/ and scripts/lib, built to plain JavaScript so `npm start` and
// `npm run worker` run them with node alone. Through tsx, the server also
// carried tsx's module-loader thread, tens of MB of RSS idle and more under load
// (docs/benchmarks.md, ADR 012). Packages stay external, as in Remix's own server build.
export default defineConfig({
  build: {
    ssr: true,
    outDir: "build/entry",
    emptyOutDir: true,
    target: "node20",
    rollupOptions: { input: { serve: "scripts/serve.ts", worker: "scripts/worker.ts" }, output: { entryFileNames: "[name].js" } },
  },
  publicDir: false,
  logLevel: "warn",
});
