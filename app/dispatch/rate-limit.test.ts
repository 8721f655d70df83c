import { describe, expect, it } from "vitest";
import { burstFor, createRateLimiter } from "./rate-limit";

describe("the sender rate limiter", () => {
  it("reserves a burst of slots and moves the sender's next slot past them", async () => {
    let now = 1_000_000;
    const limiter = createRateLimiter(() => now);
    await limiter.reserve("MG1", 1000, 20); // slots now … now + 19 ms
    const waited = limiter.reserve("MG1", 1000, 1);
    let done = false;
    void waited.then(() => (done = true));
    await new Promise((r) => setTimeout(r, 5));
    expect(done).toBe(false); // its slot is 20 ms after the burst's first
    now += 20;
    await waited;
  });

  it("lets at most the rate start in any trailing second, without waiting", () => {
    let now = 0;
    const limiter = createRateLimiter(() => now);
    expect(limiter.start("MG1", 20, 15)).toBe(15);
    now = 500;
    expect(limiter.start("MG1", 20, 15)).toBe(5);
    expect(limiter.start("MG2", 20, 1)).toBe(1); // another sender has its own count
    now = 1001;
    expect(limiter.start("MG1", 20, 15)).toBe(15);
  });

  it("allows one start a second even below 1/s, and bursts of at most 20 ms of the rate", () => {
    const limiter = createRateLimiter(() => 0);
    expect(limiter.start("TF", 0.5, 3)).toBe(1);
    expect(burstFor(1000, 25)).toBe(20);
    expect(burstFor(20, 25)).toBe(1);
    expect(burstFor(5000, 25)).toBe(25);
  });
});
