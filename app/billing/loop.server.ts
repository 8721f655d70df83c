import type { ShopifySubscription, UsageCharger } from "../adapters/shopify-billing.server";
import { clock } from "../clock.server";
import type { ConsentSyncTiming } from "../consent-sync/retry";
import { database } from "../db.server";
import { startRoundLoop, type BackgroundLoop } from "../lib/round-loop.server";
import { chargeUsage } from "./charge-usage.server";

export interface UsageChargeLoopOptions {
  charge: UsageCharger;
  fetchSubscription: (shop: string) => Promise<{ ok: true; subscription: ShopifySubscription | null } | { ok: false; message: string }>;
  workerId: string;
  pollMs?: number;
  batchSize?: number;
  timing?: ConsentSyncTiming;
}

/** The usage charge loop beside the dispatcher, like consent sync's (app/lib/round-loop.server.ts). */
export function startUsageCharges(options: UsageChargeLoopOptions): BackgroundLoop {
  return startRoundLoop({
    name: "usage charge",
    pollMs: options.pollMs ?? 1_000,
    batchSize: options.batchSize ?? 50,
    round: async (batchSize) => {
      const { sql } = await database();
      return chargeUsage({ sql, charge: options.charge, fetchSubscription: options.fetchSubscription, workerId: options.workerId, now: () => clock.now(), batchSize, timing: options.timing });
    },
  });
}
