import { env } from "./env.server";

export interface Clock {
  now(): Date;
}

/**
 * A clock that runs `scale` times faster than real time from `origin` on, so a demo or an
 * end-to-end test can live through a week in minutes. scale = 1 is the wall clock.
 */
export function scaledClock(scale: number, origin: number = Date.now()): Clock {
  if (scale === 1) return { now: () => new Date() };
  return { now: () => new Date(origin + (Date.now() - origin) * scale) };
}

let current: Clock | undefined;

/** The app's one clock. Every module reads time from here, never from Date directly. */
export const clock: Clock = {
  now: () => {
    current ??= scaledClock(env().NUDGE_TIME_SCALE);
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
