import { clock } from "~/clock.server";
import { database } from "~/db.server";
import { drainInboxFully, type DrainSummary } from "~/webhooks/drain-inbox.server";
import type { InboxTiming } from "~/webhooks/inbox-retry";

/**
 * The drain step of every signed webhook a test posts (docs/decisions/024): a webhook route
 * answers 200 once the webhook is in the inbox, and a worker ingests it after. Tests read
 * the journey right after the route returns, so tests/setup/drain-webhooks.ts wraps the routes'
 * handleWebhookRequest: after a 200 it awaits this drain of the webhook's shop, and the test
 * sees what it saw before the inbox. A test about the inbox itself turns it off.
 */
export const drainStep = { enabled: true };

/** Ingests the inbox's claimable webhooks (one shop's, or all), at the app clock's time, until none is left. */
export async function drainWebhooks(options: { shop?: string; now?: Date; workerId?: string; timing?: InboxTiming } = {}): Promise<DrainSummary> {
  const { sql } = await database();
  const at = options.now;
  return drainInboxFully({ sql, workerId: options.workerId ?? "test-drain", now: () => at ?? clock.now(), shop: options.shop, timing: options.timing });
}
