import type { ConsentPusher } from "../adapters/shopify-consent.server";
import type { SqlDriver } from "../db/sql-driver.server";
import { log } from "../lib/log.server";
import { claimDueConsentSyncs } from "./claim.server";
import { recordConsentSyncOutcome } from "./record.server";
import { CONSENT_SYNC_TIMING, consentSyncOutcome, type ConsentSyncTiming } from "./retry";

export interface ConsentSyncDeps {
  sql: SqlDriver;
  /** Sends one change to the shop's Shopify (shopifyConsentPusher; the demo injects its own). */
  pushConsent: ConsentPusher;
  workerId: string;
  now: () => Date;
  batchSize?: number;
  timing?: ConsentSyncTiming;
}

export interface ConsentSyncSummary {
  claimed: number;
  synced: number;
  retrying: number;
  waitingForReauth: number;
  failed: number;
}

/**
 * One round: claims a batch of due consent changes, pushes them to Shopify side by side, and
 * records each outcome as it comes. Returns what happened.
 */
export async function syncConsentChanges(deps: ConsentSyncDeps): Promise<ConsentSyncSummary> {
  const timing = deps.timing ?? CONSENT_SYNC_TIMING;
  const rows = await claimDueConsentSyncs(deps.sql, { now: deps.now(), limit: deps.batchSize ?? 20, workerId: deps.workerId, leaseMs: timing.leaseMs });
  const summary: ConsentSyncSummary = { claimed: rows.length, synced: 0, retrying: 0, waitingForReauth: 0, failed: 0 };
  await Promise.all(
    rows.map(async (row) => {
      const result = await deps
        .pushConsent({ shop: row.shop, customerId: row.customer_id, state: row.state, optInLevel: row.opt_in_level, consentUpdatedAt: new Date(row.consent_updated_at) })
        .catch((error: unknown) => ({ ok: false as const, retry: "backoff" as const, message: error instanceof Error ? error.message : String(error) }));
      const outcome = consentSyncOutcome(result, row.attempts, deps.now(), timing);
      await recordConsentSyncOutcome(deps.sql, row, outcome, deps.now());
      if (outcome.status === "synced") summary.synced++;
      else if (outcome.status === "failed") {
        summary.failed++;
        log.error("gave up syncing an SMS consent change to Shopify; see npm run nudge -- doctor", { shop: row.shop, attempts: row.attempts, error: outcome.lastError });
      } else if (outcome.countAttempt) summary.retrying++;
      else summary.waitingForReauth++;
    }),
  );
  return summary;
}
