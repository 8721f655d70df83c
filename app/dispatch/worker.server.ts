import { hostname } from "node:os";
import { gatewayFromEnv, statusCallbackUrl } from "../adapters/sms.server";
import type { SmsGateway } from "../adapters/twilio.server";
import { clock } from "../clock.server";
import { database } from "../db.server";
import { log } from "../lib/log.server";
import { dispatchDueMessages } from "./dispatch.server";
import { createRateLimiter } from "./rate-limit";
import { recoverStuckMessages } from "./recover.server";

export interface DispatcherHandle {
  stop(): Promise<void>;
}

export interface DispatcherOptions {
  gateway?: SmsGateway;
  /** How often to look for due messages when idle. 250 ms keeps send lag well under 1 s. */
  pollMs?: number;
  batchSize?: number;
  /** A `sending` row older than this belongs to a dead worker. */
  staleAfterMs?: number;
  recoverEveryMs?: number;
}

/**
 * The dispatcher loop: ticks until stopped, immediately again while there is a backlog,
 * and now and then recovers rows a crashed worker left in `sending`. Runs inside the web
 * process by default, or alone via `npm run worker` (PostgreSQL only).
 */
export function startDispatcher(options: DispatcherOptions = {}): DispatcherHandle | null {
  const gateway = options.gateway ?? gatewayFromEnv();
  if (!gateway) {
    log.warn("Twilio is not configured (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN): no texts will be sent");
    return null;
  }
  const pollMs = options.pollMs ?? 250;
  const batchSize = options.batchSize ?? 100;
  const staleAfterMs = options.staleAfterMs ?? 120_000;
  const workerId = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  const rateLimiter = createRateLimiter();
  let running = true;
  let wake: (() => void) | null = null;
  let lastRecovery = 0;

  const loop = (async () => {
    while (running) {
      let backlog = false;
      try {
        const { sql } = await database();
        if (Date.now() - lastRecovery > (options.recoverEveryMs ?? 30_000)) {
          lastRecovery = Date.now();
          const recovered = await recoverStuckMessages(sql, gateway, { now: clock.now(), staleAfterMs });
          if (recovered.reconciled + recovered.requeued + recovered.unknown > 0) log.info("recovered interrupted sends", recovered);
        }
        const summary = await dispatchDueMessages({ sql, gateway, workerId, batchSize, rateLimiter, now: () => clock.now(), statusCallbackUrl: statusCallbackUrl() });
        if (summary.claimed > 0) log.info("dispatch tick", summary);
        backlog = summary.claimed === batchSize;
      } catch (error) {
        log.error("dispatch tick failed", { error });
      }
      if (!backlog && running) await new Promise<void>((resolve) => ((wake = resolve), setTimeout(resolve, pollMs)));
    }
  })();

  log.info("dispatcher started", { workerId, sender: gateway.sender ? `${gateway.sender.slice(0, 4)}…` : "(none)" });
  return {
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
  };
}
