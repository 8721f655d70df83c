import { afterEach, describe, expect, it, vi } from "vitest";
import { scaledClock } from "./clock.server";

describe("the scaled clock", () => {
  afterEach(() => vi.useRealTimers());

  it("runs `scale` times faster than real time from its origin", () => {
    vi.useFakeTimers({ now: Date.parse("2026-05-04T10:00:00Z") });
    const clock = scaledClock(600);
    vi.advanceTimersByTime(2_000);
    expect(clock.now().toISOString()).toBe("2026-05-04T10:20:00.000Z");
  });

  it("starts at a given time and runs on from there (the demo's day starts at 8am)", () => {
    vi.useFakeTimers({ now: Date.parse("2026-05-04T22:30:00Z") });
    const clock = scaledClock(3_600, Date.now(), Date.parse("2026-05-04T12:00:00Z"));
    expect(clock.now().toISOString()).toBe("2026-05-04T12:00:00.000Z");
    vi.advanceTimersByTime(1_500);
    expect(clock.now().toISOString()).toBe("2026-05-04T13:30:00.000Z");
  });

  it("is the wall clock at scale 1 with no start", () => {
    vi.useFakeTimers({ now: Date.parse("2026-05-04T10:00:00Z") });
    const clock = scaledClock(1);
    vi.advanceTimersByTime(5_000);
    expect(clock.now().toISOString()).toBe("2026-05-04T10:00:05.000Z");
  });
});
