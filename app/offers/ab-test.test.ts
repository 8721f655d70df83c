import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { probabilityBest, variantFor } from "./ab-test";

describe("A/B variants", () => {
  it("splits shoppers evenly and gives each the same variant every time", () => {
    const counts = [0, 0];
    for (let i = 0; i < 4000; i++) {
      const id = randomUUID();
      const variant = variantFor(id, "cart_recovery", 2);
      expect(variantFor(id, "cart_recovery", 2)).toBe(variant);
      counts[variant]!++;
    }
    expect(counts[0]! / 4000).toBeGreaterThan(0.46);
    expect(counts[0]! / 4000).toBeLessThan(0.54);
  });

  it("is near-certain which variant is best when the data are clear", () => {
    const [a, b] = probabilityBest([
      { sent: 200, converted: 60 },
      { sent: 200, converted: 20 },
    ]);
    expect(a).toBeGreaterThan(0.999);
    expect(a! + b!).toBeCloseTo(1, 10);
  });

  it("gives identical variants about even odds, and three variants a third each", () => {
    const [a] = probabilityBest([
      { sent: 100, converted: 10 },
      { sent: 100, converted: 10 },
    ]);
    expect(a).toBeGreaterThan(0.47);
    expect(a).toBeLessThan(0.53);
    for (const p of probabilityBest([
      { sent: 0, converted: 0 },
      { sent: 0, converted: 0 },
      { sent: 0, converted: 0 },
    ])) {
      expect(p).toBeGreaterThan(0.31);
      expect(p).toBeLessThan(0.36);
    }
  });

  it("matches the closed form P(p1 > p2) for small counts", () => {
    // Beta(2,1) vs Beta(1,2) (1/1 vs 0/1): P(X > Y) = 5/6 exactly.
    const [a] = probabilityBest(
      [
        { sent: 1, converted: 1 },
        { sent: 1, converted: 0 },
      ],
      200_000,
    );
    expect(a).toBeCloseTo(5 / 6, 2);
  });
});
