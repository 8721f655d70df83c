import type { SqlTx } from "../db/sql-driver.server";
import type { Check } from "./doctor.server";

/**
 * The doctor's "webhooks in" check (docs/decisions/024-acknowledge-webhooks-first.md): webhooks
 * answered 200 and not yet ingested. Parked ones (given up after the last attempt, or a payload
 * ingest can't read) fail the check with their latest error: Shopify won't send them again, so
 * until someone retries them our data misses what they said. A backlog older than five minutes
 * (no worker running?) or webhooks being retried only warn. received_at is stamped by the app
 * clock, so the backlog's age is measured from the app clock's `now`.
 */
export async function webhookInboxCheck(sql: SqlTx, now: Date): Promise<Check> {
  const [counts] = await sql.query<{ parked: number; pending: number; retrying: number; oldest_minutes: number | null }>(
    `SELECT count(*) FILTER (WHERE state = 'parked')::int AS parked,
            count(*) FILTER (WHERE state = 'pending')::int AS pending,
            count(*) FILTER (WHERE state = 'pending' AND last_error IS NOT NULL)::int AS retrying,
            (extract(epoch FROM $1::timestamptz - min(received_at) FILTER (WHERE state = 'pending')) / 60)::float8 AS oldest_minutes
     FROM webhook_inbox WHERE state IN ('pending', 'parked')`,
    [now],
  );
  const { parked, pending, retrying, oldest_minutes } = counts!;
  const stale = oldest_minutes !== null && oldest_minutes > 5;
  if (parked === 0 && retrying === 0 && !stale) return { name: "webhooks in", status: "ok", detail: `${pending} webhooks waiting to be ingested, none parked` };
  const [latest] = await sql.query<{ shop: string; topic: string; last_error: string }>(
    `SELECT shop, topic, last_error FROM webhook_inbox WHERE state IN ('pending', 'parked') AND last_error IS NOT NULL
     ORDER BY (state = 'parked') DESC, received_at DESC LIMIT 1`,
  );
  const parts = [
    parked ? `${parked} webhooks parked after failing (their data is missing; fix the cause, then npm run nudge -- webhooks retry)` : "",
    retrying ? `${retrying} being retried` : "",
    stale ? `${pending} waiting, the oldest for ${Math.round(oldest_minutes!)} minutes (is a worker running? npm start runs one unless NUDGE_IN_PROCESS_WORKER=off)` : "",
    latest ? `latest error (${latest.shop}, ${latest.topic}): ${latest.last_error}` : "",
  ].filter(Boolean);
  return { name: "webhooks in", status: parked > 0 ? "fail" : "warn", detail: parts.join("; ") };
}
