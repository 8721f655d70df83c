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

/** The app's one clock. Every module reads time from here, never from Date directly. */
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
