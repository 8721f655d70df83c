import { log } from "./log.server";

/** Any of the app's background loops (dispatcher, inbox drain, consent sync, usage charges, order import). */
export interface BackgroundLoop {
  /** Ends the wait and resolves once the work in hand is done. */
  stop(): Promise<void>;
}

/**
 * A background loop beside the dispatcher: `step` runs again at once while it says there is more
 * to do, else after pollMs. stop() ends the wait and resolves once the step in hand is done;
 * `stopping` tells a long step (an order import) to pause. A step handles its own errors.
 */
export function startPollingLoop(pollMs: number, step: (stopping: () => boolean) => Promise<boolean>): BackgroundLoop {
  let running = true;
  let wake: (() => void) | null = null;
  const loop = (async () => {
    while (running) {
      const more = await step(() => !running);
      if (!more && running) await new Promise<void>((resolve) => ((wake = resolve), setTimeout(resolve, pollMs)));
    }
  })();
  return {
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
  };
}

/**
 * A background loop of claim-and-work rounds beside the dispatcher (consent sync, usage charges):
 * its own loop, so a slow Shopify never holds up texts. A round runs again at once while it comes
 * back with a full batch, else after pollMs; a failed round is logged and tried again after pollMs.
 */
export function startRoundLoop(options: { name: string; pollMs: number; batchSize: number; round: (batchSize: number) => Promise<{ claimed: number }> }): BackgroundLoop {
  return startPollingLoop(options.pollMs, async () => {
    try {
      const summary = await options.round(options.batchSize);
      if (summary.claimed > 0) log.info(`${options.name} round`, { ...summary });
      return summary.claimed === options.batchSize;
    } catch (error) {
      log.error(`${options.name} round failed`, { error });
      return false;
    }
  });
}
