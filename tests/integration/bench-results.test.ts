import { describe, expect, it } from "vitest";
import { p99ByTenth } from "../../scripts/bench/results";

describe("the bench's p99 by tenth of a phase", () => {
  it("puts each point in the tenth it ended in and gives that tenth's p99", () => {
    const slowStart = Array.from({ length: 100 }, (_, i) => ({ at: i, ms: i === 99 ? 900 : 10 + (i % 5) }));
    const steady = Array.from({ length: 900 }, (_, i) => ({ at: 100 + i, ms: 20 }));
    const tenths = p99ByTenth([...slowStart, ...steady], 1000);
    expect(tenths).toHaveLength(10);
    expect(tenths[0]).toBe(14); // 99th of 100 values: the 900 ms outlier is the 100th
    expect(tenths.slice(1)).toEqual(Array(9).fill(20));
  });

  it("reports an empty tenth as 0 and keeps points at or past the end in the last one", () => {
    expect(
      p99ByTenth(
        [
          { at: 1000, ms: 7 },
          { at: 1500, ms: 9 },
        ],
        1000,
      ),
    ).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 9]);
  });
});
