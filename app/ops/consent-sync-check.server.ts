import type { SqlTx } from "../db/sql-driver.server";
import type { Check } from "./doctor.server";

/**
 * The doctor's "consent sync" check (docs/decisions/017-consent-sync-outbox.md): consent
 * changes Shopify has not taken. Parked ones (given up after the last attempt, or refused by
 * Shopify) fail the check with their latest error: Shopify's customer record then disagrees with
 * ours. Changes being retried, or waiting for a shop to re-authorise, only warn.
 */
export async function consentSyncCheck(sql: SqlTx): Promise<Check> {
  const [counts] = await sql.query<{ failed: number; retrying: number; waiting: number }>(
    `SELECT count(*) FILTER (WHERE c.status = 'failed')::int AS failed,
            count(*) FILTER (WHERE c.status = 'pending' AND c.attempts > 0 AND sh.reauth_needed_at IS NULL)::int AS retrying,
            count(*) FILTER (WHERE c.status = 'pending' AND sh.reauth_needed_at IS NOT NULL)::int AS waiting
     FROM consent_sync c JOIN shop sh ON sh.domain = c.shop
     WHERE sh.uninstalled_at IS NULL`,
  );
  const { failed, retrying, waiting } = counts!;
  if (failed + retrying + waiting === 0) return { name: "consent sync", status: "ok", detail: "every SMS consent change has reached Shopify or is on its way" };
  const [latest] = await sql.query<{ shop: string; last_error: string | null }>(
    `SELECT c.shop, c.last_error FROM consent_sync c JOIN shop sh ON sh.domain = c.shop
     WHERE sh.uninstalled_at IS NULL AND c.last_error IS NOT NULL AND (c.status = 'failed' OR c.status = 'pending')
     ORDER BY (c.status = 'failed') DESC, c.updated_at DESC LIMIT 1`,
  );
  const parts = [
    failed ? `${failed} consent changes parked after failing (Shopify's record disagrees with ours; fix the cause, then npm run nudge -- consent-sync retry)` : "",
    retrying ? `${retrying} being retried` : "",
    waiting ? `${waiting} waiting for their shop to re-authorise` : "",
    latest ? `latest error (${latest.shop}): ${latest.last_error}` : "",
  ].filter(Boolean);
  return { name: "consent sync", status: failed > 0 ? "fail" : "warn", detail: parts.join("; ") };
}
