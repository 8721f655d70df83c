import { clock } from "../clock.server";
import { database } from "../db.server";
import { log } from "../lib/log.server";
import type { BackgroundLoop } from "../lib/round-loop.server";
import { drainInbox } from "./drain-inbox.server";
import { INBOX_CHANNEL } from "./inbox.server";
import type { InboxTiming } from "./inbox-retry";

export interface InboxDrainOptions {
  workerId: string;
  /** Fallback poll when no NOTIFY or kick came (a row whose backoff or lease ended, a lost LISTEN connection). */
  pollMs?: number;
  batchSize?: number;
  timing?: InboxTiming;
}

// The drain loops running in this process, woken by kickInboxDrain.
const running = new Set<() => void>();

/**
 * Wakes this process's drain loops, if it runs any: what the webhook route calls after its
 * 200, so a single-process install (`npm start` with the in-process worker, the demo) ingests
 * at once. A separate worker is woken by the inbox's NOTIFY instead.
 */
export function kickInboxDrain(): void {
  for (const wake of running) wake();
}

/**
 * The webhook inbox's loop beside the dispatcher (its own loop, so a slow send never holds up
 * ingest): a round, again at once while batches come back full or a wake came meanwhile, else
 * sleep until a NOTIFY (PostgreSQL, or PGlite in-process), a kick, or the fallback poll.
 */
export function startInboxDrain(options: InboxDrainOptions): BackgroundLoop {
  const pollMs = options.pollMs ?? 1_000;
  const batchSize = options.batchSize ?? 50;
  let active = true;
  let wake: (() => void) | null = null;
  let woken = false;
  const onWake = () => {
    woken = true;
    wake?.();
  };
  running.add(onWake);
  let unlisten: (() => Promise<void>) | undefined;
  const loop = (async () => {
    unlisten = await database()
      .then(({ sql }) => sql.listen(INBOX_CHANNEL, onWake))
      .catch((error: unknown) => {
        log.warn("webhook inbox not woken by NOTIFY: polling only", { error });
        return undefined;
      });
    while (active) {
      let backlog = false;
      woken = false;
      try {
        const { sql } = await database();
        const summary = await drainInbox({ sql, workerId: options.workerId, now: () => clock.now(), batchSize, timing: options.timing });
        if (summary.retrying + summary.parked > 0) log.info("webhook inbox round", { ...summary });
        backlog = summary.claimed === batchSize;
      } catch (error) {
        log.error("webhook inbox round failed", { error });
      }
      if (!backlog && active && !woken) await new Promise<void>((resolve) => ((wake = resolve), setTimeout(resolve, pollMs)));
      wake = null;
    }
    await unlisten?.();
  })();
  return {
    async stop() {
      active = false;
      running.delete(onWake);
      wake?.();
      await loop;
    },
  };
}
