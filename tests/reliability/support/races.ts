import { database } from "~/db.server";
import { dispatchOnce } from "../../support/dispatch";
import type { FakeTwilio } from "../../mocks/twilio";

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * When a change first became visible to another connection: polls `query` until it returns a
 * row. The commit happened at or before the returned time, so a text the fake received later
 * than it left after the commit.
 */
export async function firstSeenAt(query: string, params: unknown[], timeoutMs = 30_000): Promise<number> {
  const { sql } = await database();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await sql.query(query, params)).length > 0) return Date.now();
    if (Date.now() > deadline) throw new Error(`never saw: ${query}`);
    await sleep(1);
  }
}

/** Dispatcher loops (the real tick, each claiming on its own connection) until stopped. */
export function runDispatchers(fake: FakeTwilio, count: number, pauseMs = 5) {
  let running = true;
  let errors = 0;
  const loops = Array.from({ length: count }, async (_, i) => {
    while (running) {
      try {
        const summary = await dispatchOnce(fake, `race-worker-${i}`);
        errors += summary.errors;
      } catch {
        errors++;
      }
      await sleep(pauseMs);
    }
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      return { errors };
    },
  };
}
