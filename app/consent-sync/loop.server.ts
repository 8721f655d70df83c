import type { ConsentPusher } from "../adapters/shopify-consent.server";
import { clock } from "../clock.server";
import { database } from "../db.server";
import { log } from "../lib/log.server";
import type { ConsentSyncTiming } from "./retry";
import { syncConsentChanges } from "./sync-consent.server";

export interface ConsentSyncOptions {
  pushConsent: ConsentPusher;
  workerId: string;
  /** How often to look for due changes when idle. */
  pollMs?: number;
  batchSize?: number;
  timing?: ConsentSyncTiming;
}

export interface ConsentSyncHandle {
  stop(): Promise<void>;
}

/**
 * The consent sync loop beside the dispatcher (same process, its own loop so a slow Shopify
 * never holds up texts): a round, again at once while batches come back full, else every pollMs.
 */
export function startConsentSync(options: ConsentSyncOptions): ConsentSyncHandle {
  const pollMs = options.pollMs ?? 1_000;
  const batchSize = options.batchSize ?? 20;
  let running = true;
  let wake: (() => void) | null = null;
  const loop = (async () => {
    while (running) {
      let backlog = false;
      try {
        const { sql } = await database();
        const summary = await syncConsentChanges({ sql, pushConsent: options.pushConsent, workerId: options.workerId, now: () => clock.now(), batchSize, timing: options.timing });
        if (summary.claimed > 0) log.info("consent sync round", { ...summary });
        backlog = summary.claimed === batchSize;
      } catch (error) {
        log.error("consent sync round failed", { error });
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
