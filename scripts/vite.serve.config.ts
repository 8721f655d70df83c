import { defineConfig } from "vite";

// The production server's entry (scripts/serve.ts and what it imports from app/ and scripts/lib),
// built to plain JavaScript so `npm start` runs it with node alone. Through tsx, the server also
// carried tsx's module-loader thread: about 70 MB more RSS idle and 140 MB more after the ingest
// benchmark (docs/benchmarks.md). Packages stay external, as in Remix's own server build.
export default defineConfig({
  build: {
    ssr: "scripts/serve.ts",
    outDir: "build/entry",
    emptyOutDir: true,
    target: "node20",
    rollupOptions: { output: { entryFileNames: "serve.js" } },
  },
  publicDir: false,
  logLevel: "warn",
});
