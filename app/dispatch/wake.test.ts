import { describe, expect, it } from "vitest";
import { idleSleepMs } from "./wake";

describe("idleSleepMs", () => {
  const base = { now: 10_000, pollMs: 1_000, minGapMs: 20 };
  it.each([
    ["nothing scheduled: the fallback poll", null, 1_000],
    ["next text due in 300 ms: wakes then", 10_300, 300],
    ["next text due in 5 s: the fallback poll first", 15_000, 1_000],
    ["next text due in 3 ms: the minimum gap", 10_003, 20],
    ["a text already due (locked by another worker): the minimum gap", 9_000, 20],
  ])("%s", (_name, nextDueAt, expected) => {
    expect(idleSleepMs({ ...base, nextDueAt })).toBe(expected);
  });
});
