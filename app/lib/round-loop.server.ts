import { log } from "./log.server";

export interface RoundLoop {
  stop(): Promise<void>;
}

/**
 * A background loop of claim-and-work rounds beside the dispatcher (consent sync, usage charges):
 * its own loop, so a slow Shopify never holds up texts. A round runs again at once while it comes
 * back with a full batch, else after pollMs; a failed round is logged and tried again after pollMs.
 */
export function startRoundLoop(options: {
  name: string;
  pollMs: number;
  batchSize: number;
  round: (batchSize: number) => Promise<{ claimed: number }>;
}): RoundLoop {
  let running = true;
  let wake: (() => void) | null = null;
  const loop = (async () => {
    while (running) {
      let backlog = false;
      try {
        const summary = await options.round(options.batchSize);
        if (summary.claimed > 0) log.info(`${options.name} round`, { ...summary });
        backlog = summary.claimed === options.batchSize;
      } catch (error) {
        log.error(`${options.name} round failed`, { error });
      }
      if (!backlog && running) await new Promise<void>((resolve) => ((wake = resolve), setTimeout(resolve, options.pollMs)));
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
