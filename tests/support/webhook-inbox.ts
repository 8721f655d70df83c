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

/**
 * A real database failure inside ingest's transaction (after the receipt row is written) for
 * the webhook ids a test lists in the table fail_webhook: the inbox keeps such a webhook and
 * retries it later. Tests insert and delete ids there to start and end the outage.
 */
export async function installWebhookFailureTrigger(): Promise<void> {
  const { sql } = await database();
  await sql.exec(`
    CREATE TABLE fail_webhook (webhook_id text PRIMARY KEY);
    CREATE FUNCTION fail_listed_webhook() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM fail_webhook WHERE webhook_id = NEW.webhook_id) THEN RAISE EXCEPTION 'injected failure'; END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER fail_listed_webhook AFTER INSERT ON webhook_receipt FOR EACH ROW EXECUTE FUNCTION fail_listed_webhook();`);
}
