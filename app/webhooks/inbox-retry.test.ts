import { describe, expect, it } from "vitest";
import { INBOX_TIMING, inboxFailure } from "./inbox-retry";

const now = new Date("2026-12-06T12:00:00Z");
const after = (ms: number) => ({ state: "pending", availableAt: new Date(now.getTime() + ms) });

describe("inboxFailure", () => {
  it("backs off 5 s, doubling, at most 5 minutes, then parks after the last attempt", () => {
    expect([1, 2, 3, 7].map((attempts) => inboxFailure(attempts, now, INBOX_TIMING))).toEqual([after(5_000), after(10_000), after(20_000), after(300_000)]);
    expect(inboxFailure(INBOX_TIMING.maxAttempts, now, INBOX_TIMING)).toEqual({ state: "parked" });
  });

  it("parks a payload that can never succeed at the first attempt", () => {
    expect(inboxFailure(1, now, INBOX_TIMING, true)).toEqual({ state: "parked" });
  });
});
