import { describe, expect, it } from "vitest";
import { isLinkId, newLinkId } from "./short-links.server";

describe("newLinkId", () => {
  it("makes 10-character base-62 ids that isLinkId accepts", () => {
    for (let i = 0; i < 200; i++) {
      const id = newLinkId();
      expect(id).toMatch(/^[0-9A-Za-z]{10}$/);
      expect(isLinkId(id)).toBe(true);
    }
  });

  it("draws all 62 characters evenly: the first eight no more often than the rest", () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 5_000; i++) for (const char of newLinkId()) counts.set(char, (counts.get(char) ?? 0) + 1);
    expect(counts.size).toBe(62);
    // 50,000 characters. Fair: '0'-'7' together about 6,450 (standard deviation about 75). A
    // byte % 62 draw gives each of them 5/256 instead of 4/256: about 7,800 together.
    const firstEight = [..."01234567"].reduce((sum, char) => sum + counts.get(char)!, 0);
    expect(firstEight).toBeLessThan(7_000);
  });
});
