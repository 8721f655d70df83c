import { describe, expect, it } from "vitest";
import { action, loader } from "~/routes/bench.bare";
import { action as webhookBare } from "~/routes/bench.webhook-bare";

describe("the benchmark's bare reference routes", () => {
  it("answer 404 to GET and POST unless NUDGE_BENCH_ROUTES=1", () => {
    expect(process.env.NUDGE_BENCH_ROUTES).toBeUndefined();
    expect(loader().status).toBe(404);
    expect(action().status).toBe(404);
    expect(webhookBare().status).toBe(404);
  });
});

describe("the benchmark's memory route", () => {
  // What it answers with NUDGE_BENCH_ROUTES=1 is read by the ingest scenario in bench-smoke.
  it("answers 404 unless NUDGE_BENCH_ROUTES=1", async () => {
    const { loader: memory } = await import("~/routes/bench.memory");
    expect(memory().status).toBe(404);
  });
});
