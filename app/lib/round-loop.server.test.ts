import { describe, expect, it } from "vitest";
import { startPollingLoop, startRoundLoop } from "./round-loop.server";

describe("startRoundLoop", () => {
  it("runs again at once while rounds come back full, then waits for pollMs; stop ends the wait", async () => {
    const claims = [5, 5, 2, 0];
    const calls: number[] = [];
    let idle!: () => void;
    const idled = new Promise<void>((resolve) => (idle = resolve));
    const loop = startRoundLoop({
      name: "test",
      pollMs: 60_000,
      batchSize: 5,
      round: async (batchSize) => {
        calls.push(batchSize);
        const claimed = claims.shift() ?? 0;
        if (claimed < batchSize) idle();
        return { claimed };
      },
    });
    await idled;
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Two full rounds, then a short one, then the loop waits a minute: stop must not wait for it.
    expect(calls).toEqual([5, 5, 5]);
    const started = Date.now();
    await loop.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("keeps going after a round throws", async () => {
    let calls = 0;
    let second!: () => void;
    const reached = new Promise<void>((resolve) => (second = resolve));
    const loop = startRoundLoop({
      name: "test",
      pollMs: 1,
      batchSize: 5,
      round: async () => {
        calls += 1;
        if (calls === 1) throw new Error("Shopify is down");
        second();
        return { claimed: 0 };
      },
    });
    await reached;
    await loop.stop();
    expect(calls).toBeGreaterThanOrEqual(2);
  });
});

describe("startPollingLoop", () => {
  it("tells the step in hand that the loop is stopping, and stop waits for it", async () => {
    let began!: () => void;
    const begun = new Promise<void>((resolve) => (began = resolve));
    const seen: boolean[] = [];
    const loop = startPollingLoop(60_000, async (stopping) => {
      seen.push(stopping());
      began();
      while (!stopping()) await new Promise((resolve) => setTimeout(resolve, 5));
      seen.push(stopping());
      return true;
    });
    await begun;
    await loop.stop();
    expect(seen).toEqual([false, true]);
  });
});
