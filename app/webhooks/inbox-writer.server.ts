import type { SqlDriver } from "../db/sql-driver.server";
import { acceptWebhooks, type AcceptOutcome, type InboxWebhook } from "./inbox.server";

/** At most this many webhooks in one statement. */
const MAX_GROUP = 100;

interface Waiting {
  webhook: InboxWebhook;
  resolve(outcome: AcceptOutcome): void;
  reject(error: unknown): void;
}

const writers = new WeakMap<SqlDriver, (webhook: InboxWebhook) => Promise<AcceptOutcome>>();

/**
 * The webhook route's inbox write, committed in groups: one statement is in flight at a time,
 * and the webhooks verified meanwhile go together in the next one. A lone webhook is written at
 * once, as before; in a burst, each commit carries many, so PostgreSQL parses, plans, commits,
 * flushes its WAL and fires the inbox's NOTIFY once per group rather than once per webhook.
 * PostgreSQL serialises the commits of transactions that notify, so they went one at a time
 * anyway (docs/decisions/024-acknowledge-webhooks-first.md, amendment of 7 Dec 2026, evening).
 * Each webhook is still answered only after the commit that holds it, so a 200 promises what it did.
 */
export function inboxWriter(sql: SqlDriver): (webhook: InboxWebhook) => Promise<AcceptOutcome> {
  let write = writers.get(sql);
  if (!write) {
    write = groupCommit(sql);
    writers.set(sql, write);
  }
  return write;
}

function groupCommit(sql: SqlDriver): (webhook: InboxWebhook) => Promise<AcceptOutcome> {
  const queued: Waiting[] = [];
  const write = async (group: Waiting[]) => {
    const outcomes = await acceptWebhooks(
      sql,
      group.map((w) => w.webhook),
    );
    group.forEach((w, i) => w.resolve(outcomes[i]!));
  };
  let writing = false;
  const flush = async () => {
    writing = true;
    while (queued.length > 0) {
      const group = queued.splice(0, MAX_GROUP);
      await write(group).catch(async (error: unknown) => {
        // A failure is rare (the route has checked each body), and most likely the database
        // itself; each webhook is tried alone then, so one can't fail the others.
        if (group.length === 1) return group[0]!.reject(error);
        for (const one of group) await write([one]).catch((alone: unknown) => one.reject(alone));
      });
    }
    writing = false;
  };
  return (webhook) =>
    new Promise<AcceptOutcome>((resolve, reject) => {
      queued.push({ webhook, resolve, reject });
      if (!writing) void flush();
    });
}
