import type { ConsentPusher } from "../adapters/shopify-consent.server";
import { clock } from "../clock.server";
import { database } from "../db.server";
import { startRoundLoop, type BackgroundLoop } from "../lib/round-loop.server";
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

/** The consent sync loop beside the dispatcher (app/lib/round-loop.server.ts). */
export function startConsentSync(options: ConsentSyncOptions): BackgroundLoop {
  return startRoundLoop({
    name: "consent sync",
    pollMs: options.pollMs ?? 1_000,
    batchSize: options.batchSize ?? 20,
    round: async (batchSize) => {
      const { sql } = await database();
      return syncConsentChanges({ sql, pushConsent: options.pushConsent, workerId: options.workerId, now: () => clock.now(), batchSize, timing: options.timing });
    },
  });
}
