import type { ShopifySubscription, UsageCharger } from "../adapters/shopify-billing.server";
import { clock } from "../clock.server";
import type { ConsentSyncTiming } from "../consent-sync/retry";
import { database } from "../db.server";
import { log } from "../lib/log.server";
import { chargeUsage } from "./charge-usage.server";

export interface UsageChargeLoopOptions {
  charge: UsageCharger;
  fetchSubscription: (shop: string) => Promise<{ ok: true; subscription: ShopifySubscription | null } | { ok: false; message: string }>;
  workerId: string;
  pollMs?: number;
  batchSize?: number;
  timing?: ConsentSyncTiming;
}

/**
 * The usage charge loop beside the dispatcher, like consent sync's (its own loop, so a slow
 * Shopify never holds up texts): a round, again at once while batches come back full, else every pollMs.
 */
export function startUsageCharges(options: UsageChargeLoopOptions): { stop(): Promise<void> } {
  const pollMs = options.pollMs ?? 1_000;
  const batchSize = options.batchSize ?? 50;
  let running = true;
  let wake: (() => void) | null = null;
  const loop = (async () => {
    while (running) {
      let backlog = false;
      try {
        const { sql } = await database();
        const summary = await chargeUsage({ sql, charge: options.charge, fetchSubscription: options.fetchSubscription, workerId: options.workerId, now: () => clock.now(), batchSize, timing: options.timing });
        if (summary.claimed > 0) log.info("usage charge round", { ...summary });
        backlog = summary.claimed === batchSize;
      } catch (error) {
        log.error("usage charge round failed", { error });
      }
      if (!backlog && running) await new Promise<void>((resolve) => ((wake = resolve), setTimeout(resolve, pollMs)));
    }
  })();
  return {
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
  };
}
