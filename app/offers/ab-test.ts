import { createHash } from "node:crypto";

/** The variant (0…count-1) a shopper gets for a flow: even, stable, independent of the holdout. */
export function variantFor(shopperId: string, flow: string, count: number): number {
  if (count <= 1) return 0;
  return createHash("sha256").update(`${shopperId}:${flow}:variant`).digest().readUInt32BE(0) % count;
}

export interface VariantOutcome {
  sent: number;
  converted: number;
}

/**
 * The probability that each variant has the highest conversion rate, from Beta(1 + converted,
 * 1 + sent − converted) posteriors (uniform prior), by Monte Carlo with a seeded generator so
 * the same data always gives the same answer.
 */
export function probabilityBest(outcomes: readonly VariantOutcome[], draws = 20_000, seed = 0x5eed): number[] {
  const random = mulberry32(seed);
  const wins = outcomes.map(() => 0);
  for (let i = 0; i < draws; i++) {
    let best = 0;
    let bestValue = -1;
    outcomes.forEach((o, index) => {
      const value = sampleBeta(1 + o.converted, 1 + Math.max(0, o.sent - o.converted), random);
      if (value > bestValue) {
        bestValue = value;
        best = index;
      }
    });
    wins[best]!++;
  }
  return wins.map((w) => w / draws);
}

/** Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
function sampleBeta(a: number, b: number, random: () => number): number {
  const x = sampleGamma(a, random);
  const y = sampleGamma(b, random);
  return x / (x + y);
}

/** Marsaglia & Tsang (2000) for shape ≥ 1, which a + 1 priors always are. */
function sampleGamma(shape: number, random: () => number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

function normal(random: () => number): number {
  // Box–Muller.
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A small, fast, seedable PRNG (public domain, by Tommy Ettinger). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
