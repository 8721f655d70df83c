import { describe, expect, it } from "vitest";
import { readReply } from "~/messaging/keywords";
import { DEMO_SHOPPER_WORDS } from "./shopper-words";

// The demo's shoppers (issue #21, item 5): their opt-outs must be read as opt-outs, or the seeded
// week would play out differently; their questions must fill the inbox, some flagged.
const phones = Array.from({ length: 300 }, (_, i) => `+1212555${String(1000 + i)}`);

describe("DEMO_SHOPPER_WORDS", () => {
  it("opts out in words the app reads as an opt-out, in several phrasings", () => {
    const words = new Set(phones.map((p) => DEMO_SHOPPER_WORDS.optOut(p)));
    expect(words.size).toBeGreaterThan(3);
    for (const word of words) expect([word, readReply(word).keyword]).toEqual([word, "stop"]);
  });

  it("has about a third of shoppers ask a question, none of them an opt-out, some a possible one", () => {
    const questions = phones.map((p) => DEMO_SHOPPER_WORDS.question(p)).filter((q): q is string => q !== null);
    expect(questions.length).toBeGreaterThan(60);
    expect(questions.length).toBeLessThan(140);
    for (const q of questions) expect([q, readReply(q).keyword]).toEqual([q, null]);
    expect(questions.some((q) => readReply(q).possibleOptOutRule !== null)).toBe(true);
  });

  it("gives the same phone the same words every run", () => {
    expect(phones.map((p) => DEMO_SHOPPER_WORDS.question(p))).toEqual(phones.map((p) => DEMO_SHOPPER_WORDS.question(p)));
  });
});
