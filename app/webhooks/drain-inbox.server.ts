import type { SqlDriver } from "../db/sql-driver.server";
import { concurrencyLimit } from "../lib/concurrency-limit";
import { log } from "../lib/log.server";
import { applyWebhook, isKnownTopic, parseWebhook } from "./ingest.server";
import { claimWebhooks, completeWebhook, failWebhook, type ClaimedWebhook } from "./inbox.server";
import { INBOX_TIMING, inboxFailure, type InboxTiming } from "./inbox-retry";

export interface DrainDeps {
  sql: SqlDriver;
  workerId: string;
  now: () => Date;
  batchSize?: number;
  /** Webhooks ingested at once (each on its own connection). */
  concurrency?: number;
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
 * One round of the inbox: claims a batch of pending webhooks and ingests them, each in its own
 * transaction with its completion (ingest's dedupe, lock order and journey unchanged, ADR 003).
 * Up to `concurrency` at once, as concurrent deliveries were ingested before the inbox, but in
 * arrival order within a lane: a checkout's webhooks and its order's share one (the checkout
 * token), so they go one after the other. Any other topic (a redaction, an uninstall, a shop
 * update) waits for everything before it in the batch, and everything after waits for it.
 * A failure rolls that webhook back and is retried after a backoff, or parked with its error
 * after the last attempt; the rest of the batch goes on.
 */
export async function drainInbox(deps: DrainDeps): Promise<DrainSummary> {
  const timing = deps.timing ?? INBOX_TIMING;
  const rows = await claimWebhooks(deps.sql, { now: deps.now(), limit: deps.batchSize ?? 50, workerId: deps.workerId, leaseMs: timing.leaseMs, shop: deps.shop });
  const limit = concurrencyLimit(deps.concurrency ?? 4);
  const started: Promise<Result>[] = [];
  const lanes = new Map<string, Promise<unknown>>();
  let barrier: Promise<unknown> = Promise.resolve();
  const after = (before: Promise<unknown>, run: () => Promise<Result>) => before.then(run, run);
  for (const row of rows) {
    const read = readRow(row);
    const lane = read.ok ? laneOf(read.topic, read.payload) : row.webhook_id;
    const ingest = () => limit(() => ingestClaimed(deps, row, read, timing));
    if (lane === null) {
      barrier = after(Promise.allSettled(started), ingest);
      lanes.clear();
      started.push(barrier as Promise<Result>);
    } else {
      const run = after(lanes.get(lane) ?? barrier, ingest);
      lanes.set(lane, run);
      started.push(run);
    }
  }
  const summary: DrainSummary = { claimed: rows.length, ingested: 0, retrying: 0, parked: 0 };
  for (const result of await Promise.allSettled(started)) {
    if (result.status === "fulfilled") summary[result.value]++;
    else log.error("webhook inbox: recording an outcome failed; the row is claimed again after its lease", { error: result.reason });
  }
  return summary;
}

type Result = "ingested" | "retrying" | "parked";

/** The lane of a journey webhook (its checkout token), or null for a topic that must go alone. */
function laneOf(topic: string, payload: unknown): string | null {
  const p = payload as { token?: string | null; checkout_token?: string | null; cart_token?: string | null; admin_graphql_api_id?: string | null };
  if (topic === "CHECKOUTS_CREATE" || topic === "CHECKOUTS_UPDATE") return `checkout:${p.token}`;
  if (topic === "ORDERS_CREATE") return p.checkout_token ? `checkout:${p.checkout_token}` : `order:${p.admin_graphql_api_id ?? p.cart_token}`;
  return null;
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

async function ingestClaimed(deps: DrainDeps, row: ClaimedWebhook, parsed: ReadRow, timing: InboxTiming): Promise<Result> {
  const context = { shop: row.shop, topic: row.topic, webhookId: row.webhook_id, attempts: row.attempts };
  // The edge checked the JSON and the schema; a row failing them now (a deploy changed the
  // schema, a row written by another transport) can never succeed, so it is parked at once.
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
