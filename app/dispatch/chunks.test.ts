import { describe, expect, it } from "vitest";
import { chunkMessages } from "./chunks";

const m = (id: string, shop: string, shopper: string) => ({ id, shop, shopper_id: shopper });
const ids = (chunks: { id: string }[][]) => chunks.map((c) => c.map((x) => x.id));

describe("chunkMessages", () => {
  it("keeps each shop to its own chunks, in claim order, at most `size` each", () => {
    const messages = [m("1", "a", "s1"), m("2", "b", "s2"), m("3", "a", "s3"), m("4", "a", "s4"), m("5", "b", "s5")];
    expect(ids(chunkMessages(messages, () => 2))).toEqual([["1", "3"], ["2", "5"], ["4"]]);
  });

  it("never puts two messages for the same shopper in one chunk", () => {
    const messages = [m("1", "a", "s1"), m("2", "a", "s1"), m("3", "a", "s2"), m("4", "a", "s1")];
    expect(ids(chunkMessages(messages, () => 10))).toEqual([["1", "3"], ["2"], ["4"]]);
  });

  it("uses each shop's own size (one text per chunk for a slow sender)", () => {
    const messages = [m("1", "slow", "s1"), m("2", "slow", "s2"), m("3", "fast", "s3"), m("4", "fast", "s4")];
    expect(ids(chunkMessages(messages, (shop) => (shop === "slow" ? 1 : 20)))).toEqual([["1"], ["2"], ["3", "4"]]);
  });
});
