import type { SqlDriver } from "../db/sql-driver.server";
import { log } from "../lib/log.server";
import { applyWebhook, isKnownTopic, parseWebhook } from "./ingest.server";
import { claimWebhooks, completeWebhook, failWebhook, type ClaimedWebhook } from "./inbox.server";
import { INBOX_TIMING, inboxFailure, type InboxTiming } from "./inbox-retry";

export interface DrainDeps {
  sql: SqlDriver;
  workerId: string;
  now: () => Date;
  batchSize?: number;
  timing?: InboxTiming;
  /** Only this shop's webhooks (the tests' drain step, an operator's); default: every shop's. */
  shop?: string;
}

export interface DrainSummary {
  claimed: number;
  ingested: number;
  retrying: number;
  parked: number;
}

/**
 * One round of the inbox: claims a batch of pending webhooks and ingests them one by one in
 * arrival order, each in its own transaction with its completion (ingest's dedupe, lock order
 * and journey unchanged, ADR 003). A failure rolls that webhook back and is retried after a
 * backoff, or parked with its error after the last attempt; the rest of the batch goes on.
 */
export async function drainInbox(deps: DrainDeps): Promise<DrainSummary> {
  const timing = deps.timing ?? INBOX_TIMING;
  const rows = await claimWebhooks(deps.sql, { now: deps.now(), limit: deps.batchSize ?? 50, workerId: deps.workerId, leaseMs: timing.leaseMs, shop: deps.shop });
  const summary: DrainSummary = { claimed: rows.length, ingested: 0, retrying: 0, parked: 0 };
  for (const row of rows) {
    const result = await ingestClaimed(deps, row, timing);
    summary[result]++;
  }
  return summary;
}

/** Drains until nothing is claimable (rows waiting out a backoff stay); what the tests' drain step runs. */
export async function drainInboxFully(deps: DrainDeps): Promise<DrainSummary> {
  const total: DrainSummary = { claimed: 0, ingested: 0, retrying: 0, parked: 0 };
  for (;;) {
    const round = await drainInbox(deps);
    for (const key of Object.keys(total) as (keyof DrainSummary)[]) total[key] += round[key];
    if (round.claimed === 0) return total;
  }
}

async function ingestClaimed(deps: DrainDeps, row: ClaimedWebhook, timing: InboxTiming): Promise<"ingested" | "retrying" | "parked"> {
  const context = { shop: row.shop, topic: row.topic, webhookId: row.webhook_id, attempts: row.attempts };
  // The edge checked the JSON and the schema; a row failing them now (a deploy changed the
  // schema, a row written by another transport) can never succeed, so it is parked at once.
  const parsed = readRow(row);
  if (!parsed.ok) return fail(deps, row, timing, parsed.error, true);
  try {
    const outcome = await deps.sql.transaction(async (tx) => {
      const result = await applyWebhook(tx, { shop: row.shop, topic: parsed.topic, webhookId: row.webhook_id, payload: parsed.payload, now: deps.now() }, parsed.payload);
      await completeWebhook(tx, row.webhook_id, result, deps.now());
      return result;
    });
    log.info("webhook ingested", { ...context, outcome });
    return "ingested";
  } catch (error) {
    return fail(deps, row, timing, error instanceof Error ? error.message : String(error), false);
  }

  async function fail(deps: DrainDeps, row: ClaimedWebhook, timing: InboxTiming, error: string, permanent: boolean) {
    const failure = inboxFailure(row.attempts, deps.now(), timing, permanent);
    await failWebhook(deps.sql, row, deps.workerId, failure, error);
    if (failure.state === "parked") {
      log.error("webhook parked after failing; see npm run nudge -- doctor", { ...context, error });
      return "parked" as const;
    }
    log.warn("webhook ingest failed; retrying", { ...context, error, retryAt: failure.availableAt });
    return "retrying" as const;
  }
}

type ReadRow = { ok: true; topic: Parameters<typeof parseWebhook>[0]; payload: unknown } | { ok: false; error: string };

function readRow(row: ClaimedWebhook): ReadRow {
  if (!isKnownTopic(row.topic)) return { ok: false, error: `no handler for topic ${row.topic}` };
  if (row.body === null) return { ok: false, error: "no body" };
  let json: unknown;
  try {
    json = JSON.parse(row.body);
  } catch {
    return { ok: false, error: "body is not JSON" };
  }
  const parsed = parseWebhook(row.topic, json);
  return parsed.ok ? { ok: true, topic: row.topic, payload: parsed.payload } : { ok: false, error: `invalid payload: ${parsed.issues.join("; ")}` };
}
