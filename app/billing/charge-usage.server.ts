import type { ShopifySubscription, UsageCharger } from "../adapters/shopify-billing.server";
import type { SqlDriver } from "../db/sql-driver.server";
import { log } from "../lib/log.server";
import { claimDueUsageCharges, type ClaimedUsageCharge } from "./claim.server";
import { USAGE_CHARGE_TIMING, usageChargeOutcome } from "./charge-outcome";
import type { ConsentSyncTiming } from "../consent-sync/retry";
import { recordBalance, recordSubscription, renewEndedPeriods } from "./plan-state.server";
import { recordUsageChargeOutcome } from "./record.server";

export interface UsageChargeDeps {
  sql: SqlDriver;
  /** Sends one charge to the shop's Shopify (shopifyUsageCharger; tests inject a stand-in's). */
  charge: UsageCharger;
  /** The shop's subscription now, for a plan whose usage line item we haven't been told yet. */
  fetchSubscription: (shop: string) => Promise<{ ok: true; subscription: ShopifySubscription | null } | { ok: false; message: string }>;
  workerId: string;
  now: () => Date;
  batchSize?: number;
  timing?: ConsentSyncTiming;
}

export interface UsageChargeSummary {
  claimed: number;
  charged: number;
  held: number;
  retrying: number;
  failed: number;
}

/**
 * One round of the usage charge outbox: renew plans whose period ended, claim due charges,
 * send them to Shopify side by side and record each outcome. After a restart the first rounds
 * re-drive whatever was pending, and a charge Shopify already took comes back as that same
 * record (its idempotency key): nothing is lost, nothing is charged twice.
 */
export async function chargeUsage(deps: UsageChargeDeps): Promise<UsageChargeSummary> {
  const timing = deps.timing ?? USAGE_CHARGE_TIMING;
  await renewEndedPeriods(deps.sql, deps.now());
  const rows = await claimDueUsageCharges(deps.sql, { now: deps.now(), limit: deps.batchSize ?? 50, workerId: deps.workerId, leaseMs: timing.leaseMs });
  const summary: UsageChargeSummary = { claimed: rows.length, charged: 0, held: 0, retrying: 0, failed: 0 };
  const lineItems = new Map<string, Promise<string | null>>();
  await Promise.all(
    rows.map(async (row) => {
      let lineItemId = row.line_item_id;
      if (!lineItemId) {
        if (!lineItems.has(row.shop)) lineItems.set(row.shop, usageLineItem(deps, row.shop));
        lineItemId = await lineItems.get(row.shop)!;
      }
      const result = lineItemId
        ? await deps
            .charge({ shop: row.shop, lineItemId, amount: row.amount, currency: row.currency, description: describe(row), idempotencyKey: row.idempotency_key })
            .catch((error: unknown) => ({ ok: false as const, retry: "backoff" as const, message: error instanceof Error ? error.message : String(error) }))
        : { ok: false as const, retry: "backoff" as const, message: "the shop's subscription has no usage line item yet" };
      const outcome = usageChargeOutcome(result, row.attempts, deps.now(), timing);
      await recordUsageChargeOutcome(deps.sql, row, outcome, deps.now());
      if (result.ok && result.balance) await recordBalance(deps.sql, row.shop, result.balance);
      if (outcome.status === "charged") summary.charged++;
      else if (outcome.status === "held") summary.held++;
      else if (outcome.status === "failed") {
        summary.failed++;
        log.error("gave up charging a text to Shopify; see npm run nudge -- doctor", { shop: row.shop, messageId: row.message_id, error: outcome.lastError });
      } else summary.retrying++;
    }),
  );
  return summary;
}

function describe(row: ClaimedUsageCharge): string {
  return `SMS text, ${row.segments} segment${row.segments === 1 ? "" : "s"}`;
}

/** Asks Shopify for the shop's subscription and records it (the webhook doesn't name line items). */
async function usageLineItem(deps: UsageChargeDeps, shop: string): Promise<string | null> {
  const answer = await deps.fetchSubscription(shop);
  if (!answer.ok || !answer.subscription) return null;
  await deps.sql.transaction((tx) => recordSubscription(tx, shop, answer.subscription!, deps.now()));
  return answer.subscription.lineItemId;
}
