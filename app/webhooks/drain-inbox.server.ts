import type { SqlDriver } from "../db/sql-driver.server";
import { log } from "../lib/log.server";
import { planDrain } from "./drain-plan";
import { applyWebhooks, isKnownTopic, parseWebhook, type WebhookInput, type WebhookTopic } from "./ingest.server";
import { claimWebhooks, completeWebhooks, failWebhook, type ClaimedWebhook } from "./inbox.server";
import { INBOX_TIMING, inboxFailure, type InboxTiming } from "./inbox-retry";

export interface DrainDeps {
  sql: SqlDriver;
  workerId: string;
  now: () => Date;
  batchSize?: number;
  /** Groups of webhooks ingested at once (each in its own transaction, on its own connection). */
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
 * One round of the inbox: claims a batch of pending webhooks and ingests them (ingest's dedupe,
 * lock order and journey unchanged, ADR 003). Webhooks of one lane (a checkout's and its
 * order's share one: the checkout token) go in arrival order; the lanes are dealt to up to
 * `concurrency` groups that run at once, as concurrent deliveries were ingested before the
 * inbox. Any other topic (a redaction, an uninstall, a shop update) waits for everything before
 * it in the batch, and everything after waits for it (planDrain).
 *
 * A group is ingested in one transaction with its completions: one BEGIN, one COMMIT and one
 * completion statement for all of its webhooks instead of one each, which was a third of the
 * round trips a webhook cost (docs/decisions/024, amendment of 7 Dec 2026). If anything in it
 * fails, the group is rolled back and each of its webhooks is ingested again in a transaction
 * of its own, so a failure still only affects its own webhook: retried after a backoff, or
 * parked with its error after the last attempt, while the rest go on.
 */
export async function drainInbox(deps: DrainDeps): Promise<DrainSummary> {
  const timing = deps.timing ?? INBOX_TIMING;
  const rows = await claimWebhooks(deps.sql, { now: deps.now(), limit: deps.batchSize ?? 50, workerId: deps.workerId, leaseMs: timing.leaseMs, shop: deps.shop });
  const summary: DrainSummary = { claimed: rows.length, ingested: 0, retrying: 0, parked: 0 };
  const count = (results: PromiseSettledResult<Result[]>[]) => {
    for (const result of results) {
      if (result.status === "fulfilled") for (const value of result.value) summary[value]++;
      else log.error("webhook inbox: recording an outcome failed; the row is claimed again after its lease", { error: result.reason });
    }
  };
  const read = rows.map((row) => ({ row, read: readRow(row) }));
  // The edge checked the JSON and the schema; a row failing them now (a deploy changed the
  // schema, a row written by another transport) can never succeed, so it is parked at once.
  count(await Promise.allSettled(read.flatMap(({ row, read }) => (read.ok ? [] : [failClaimed(deps, row, timing, read.error, true).then((r) => [r])]))));
  const readable = read.flatMap(({ row, read }) => (read.ok ? [{ row, ...read }] : []));
  for (const step of planDrain(readable, (r) => laneOf(r.topic, r.payload), deps.concurrency ?? 4)) {
    const groups = "alone" in step ? [[step.alone]] : step.groups;
    count(await Promise.allSettled(groups.map((group) => ingestGroup(deps, group, timing))));
  }
  return summary;
}

type Result = "ingested" | "retrying" | "parked";
type Readable = { row: ClaimedWebhook; topic: WebhookTopic; payload: unknown };

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

/** Ingests a group in one transaction, or, if anything in it fails, each of its webhooks alone. */
async function ingestGroup(deps: DrainDeps, group: Readable[], timing: InboxTiming): Promise<Result[]> {
  if (group.length > 1) {
    try {
      const done = await deps.sql.transaction(async (tx) => {
        const outcomes = await applyWebhooks(
          tx,
          group.map((webhook) => inputOf(deps, webhook)),
        );
        const done = group.map(({ row }, i) => ({ webhookId: row.webhook_id, outcome: outcomes[i]! }));
        await completeWebhooks(tx, done, deps.now());
        return done;
      });
      for (const [i, { outcome }] of done.entries()) log.info("webhook ingested", { ...contextOf(group[i]!.row), outcome });
      return done.map(() => "ingested");
    } catch (error) {
      log.warn("webhook inbox: a group's transaction failed; ingesting each of its webhooks alone", { webhooks: group.length, error });
    }
  }
  const results: Result[] = [];
  for (const webhook of group) results.push(await ingestAlone(deps, webhook, timing));
  return results;
}

async function ingestAlone(deps: DrainDeps, webhook: Readable, timing: InboxTiming): Promise<Result> {
  const { row } = webhook;
  try {
    const outcome = await deps.sql.transaction(async (tx) => {
      const [outcome] = await applyWebhooks(tx, [inputOf(deps, webhook)]);
      await completeWebhooks(tx, [{ webhookId: row.webhook_id, outcome: outcome! }], deps.now());
      return outcome!;
    });
    log.info("webhook ingested", { ...contextOf(row), outcome });
    return "ingested";
  } catch (error) {
    return failClaimed(deps, row, timing, error instanceof Error ? error.message : String(error), false);
  }
}

async function failClaimed(deps: DrainDeps, row: ClaimedWebhook, timing: InboxTiming, error: string, permanent: boolean): Promise<Result> {
  const failure = inboxFailure(row.attempts, deps.now(), timing, permanent);
  await failWebhook(deps.sql, row, deps.workerId, failure, error);
  if (failure.state === "parked") {
    log.error("webhook parked after failing; see npm run nudge -- doctor", { ...contextOf(row), error });
    return "parked";
  }
  log.warn("webhook ingest failed; retrying", { ...contextOf(row), error, retryAt: failure.availableAt });
  return "retrying";
}

const inputOf = (deps: DrainDeps, { row, topic, payload }: Readable): WebhookInput => ({ shop: row.shop, topic, webhookId: row.webhook_id, payload, now: deps.now() });
const contextOf = (row: ClaimedWebhook) => ({ shop: row.shop, topic: row.topic, webhookId: row.webhook_id, attempts: row.attempts });

type ReadRow = { ok: true; topic: WebhookTopic; payload: unknown } | { ok: false; error: string };

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
