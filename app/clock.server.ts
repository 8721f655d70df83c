import { env } from "./env.server";

export interface Clock {
  now(): Date;
}

/**
 * A clock that runs `scale` times faster than real time from `origin` on, so a demo or an
 * end-to-end test can live through a week in minutes. It reads `start` at `origin` (default:
 * the real time then). scale = 1 with no start is the wall clock.
 */
export function scaledClock(scale: number, origin: number = Date.now(), start: number = origin): Clock {
  if (scale === 1 && start === origin) return { now: () => new Date() };
  return { now: () => new Date(start + (Date.now() - origin) * scale) };
}

let current: Clock | undefined;

/**
 * The app's one clock. Business time comes from here, never from Date directly: when a text is
 * due, quiet hours, windows, code and offer expiry, campaign schedules, the dashboard's days.
 * Three kinds of time stay on the real clock (Date.now, or the database's now()): elapsed time
 * (timers, poll and housekeeping intervals, retry backoff, rate limits, latency), time another
 * party checks (session and token expiry at Shopify, app-proxy and JWT timestamps, Twilio's
 * message list), and when a row was written (created_at, updated_at, log lines).
 */
export const clock: Clock = {
  now: () => {
    const { NUDGE_TIME_SCALE, NUDGE_CLOCK_START } = env();
    current ??= scaledClock(NUDGE_TIME_SCALE, Date.now(), NUDGE_CLOCK_START ? Date.parse(NUDGE_CLOCK_START) : undefined);
    return current.now();
  },
};

/** Replaces the app clock (tests pin time with this). */
export function setClock(next: Clock): void {
  current = next;
}

export function fixedClock(at: Date | string): Clock & { set(at: Date | string): void; advance(ms: number): void } {
  let time = new Date(at).getTime();
  return {
    now: () => new Date(time),
    set: (next) => void (time = new Date(next).getTime()),
    advance: (ms) => void (time += ms),
  };
}
