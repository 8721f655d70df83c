/** Scenario sizes: the full sizes, and a quick run (CI smoke test, well under 2 minutes). */
export interface BenchSizes {
  /** `history`: the shop the webhooks land in already has these (seed-history.ts). */
  ingest: { phaseSeconds: number; fixedRate: number; connections: number; history: { shoppers: number; messages: number; orders: number } };
  dispatch: { shops: number; shoppers: number; messages: number; rateLimitMessages: number; lowRate: number };
  /** `mintLatencyMs`: the stand-in Shopify's answer time for a discount code, drawn per call. */
  dispatchDiscounts: { shops: number; shoppers: number; messages: number; workers: number; mintLatencyMs: [number, number] };
  sendLag: { messages: number; shoppers: number; maxWindowSeconds: number; defaultArrivalPerSecond: number };
  dashboard: { shoppers: number; messages: number; orders: number; warmRuns: number };
  /** Issue #19: "Send now" to this many consenting subscribers (plus a tenth without consent). */
  campaignFanout: { subscribers: number };
  /** The pixel collector: batches of a seeded shop's `shoppers` (logged-in customers). */
  collector: { phaseSeconds: number; fixedRate: number; connections: number; shoppers: number };
}

export const FULL: BenchSizes = {
  ingest: { phaseSeconds: 20, fixedRate: 200, connections: 10, history: { shoppers: 20_000, messages: 200_000, orders: 10_000 } },
  dispatch: { shops: 10, shoppers: 50_000, messages: 100_000, rateLimitMessages: 400, lowRate: 20 },
  dispatchDiscounts: { shops: 10, shoppers: 50_000, messages: 100_000, workers: 2, mintLatencyMs: [50, 150] },
  sendLag: { messages: 100_000, shoppers: 50_000, maxWindowSeconds: 600, defaultArrivalPerSecond: 200 },
  dashboard: { shoppers: 100_000, messages: 1_000_000, orders: 50_000, warmRuns: 5 },
  campaignFanout: { subscribers: 100_000 },
  collector: { phaseSeconds: 20, fixedRate: 200, connections: 10, shoppers: 20_000 },
};

export const QUICK: BenchSizes = {
  ingest: { phaseSeconds: 3, fixedRate: 200, connections: 10, history: { shoppers: 1_000, messages: 10_000, orders: 500 } },
  dispatch: { shops: 10, shoppers: 500, messages: 1_000, rateLimitMessages: 60, lowRate: 20 },
  dispatchDiscounts: { shops: 10, shoppers: 500, messages: 1_000, workers: 2, mintLatencyMs: [50, 150] },
  sendLag: { messages: 300, shoppers: 150, maxWindowSeconds: 10, defaultArrivalPerSecond: 30 },
  dashboard: { shoppers: 2_000, messages: 20_000, orders: 1_000, warmRuns: 3 },
  campaignFanout: { subscribers: 2_000 },
  collector: { phaseSeconds: 3, fixedRate: 200, connections: 10, shoppers: 1_000 },
};

export const SCENARIOS = ["ingest", "collector", "dispatch", "dispatch-discounts", "send-lag", "dashboard", "campaign-fanout"] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface BenchOptions {
  scenarios: ScenarioName[];
  quick: boolean;
  sizes: BenchSizes;
  out: string;
  /** Skip `npm run build` (the ingest scenario needs a current build). */
  skipBuild: boolean;
  /** --scale=0.1 shrinks the full run's row counts (not its durations), for a busy machine. */
  scale: number;
  /**
   * --arrival=990: the send-lag scenario's texts per second when the dispatch scenario doesn't
   * run first to size it (a full run's rate, to rerun send-lag alone at the same load).
   */
  arrivalPerSecond?: number;
}

function scaled(sizes: BenchSizes, scale: number): BenchSizes {
  if (scale === 1) return sizes;
  const n = (value: number) => Math.max(10, Math.round(value * scale));
  return {
    ...sizes,
    dispatch: { ...sizes.dispatch, shoppers: n(sizes.dispatch.shoppers), messages: n(sizes.dispatch.messages) },
    dispatchDiscounts: { ...sizes.dispatchDiscounts, shoppers: n(sizes.dispatchDiscounts.shoppers), messages: n(sizes.dispatchDiscounts.messages) },
    sendLag: { ...sizes.sendLag, shoppers: n(sizes.sendLag.shoppers), messages: n(sizes.sendLag.messages) },
    dashboard: { ...sizes.dashboard, shoppers: n(sizes.dashboard.shoppers), messages: n(sizes.dashboard.messages), orders: n(sizes.dashboard.orders) },
    campaignFanout: { subscribers: n(sizes.campaignFanout.subscribers) },
  };
}

export function parseBenchArgs(argv: string[]): BenchOptions {
  const quick = argv.includes("--quick");
  const named = argv.filter((a) => !a.startsWith("--"));
  for (const name of named) if (!(SCENARIOS as readonly string[]).includes(name)) throw new Error(`unknown scenario "${name}"; choose from ${SCENARIOS.join(", ")}`);
  const out = argv.find((a) => a.startsWith("--out="))?.slice("--out=".length) ?? "bench/results.json";
  const scale = Number(argv.find((a) => a.startsWith("--scale="))?.slice("--scale=".length) ?? 1);
  if (!(scale > 0 && scale <= 1)) throw new Error("--scale must be in (0, 1]");
  const arrival = argv.find((a) => a.startsWith("--arrival="))?.slice("--arrival=".length);
  const arrivalPerSecond = arrival === undefined ? undefined : Number(arrival);
  if (arrivalPerSecond !== undefined && !(arrivalPerSecond > 0)) throw new Error("--arrival must be a positive number of texts per second");
  return {
    scenarios: named.length ? (named as ScenarioName[]) : [...SCENARIOS],
    quick,
    sizes: scaled(quick ? QUICK : FULL, scale),
    scale,
    out,
    skipBuild: argv.includes("--skip-build"),
    arrivalPerSecond,
  };
}
