import { cached } from "../lib/cached";

export interface SendingWindow {
  /** First local hour texts may go out (inclusive). */
  startHour: number;
  /** Local hour from which texts may not go out (exclusive). */
  endHour: number;
}

// TCPA guidance: 8am–9pm recipient local time. Florida (Fla. Stat. 501.059(8)), Oklahoma
// (Okla. Stat. tit. 15 §775C.4) and Maryland (Stop the Spam Calls Act 2023) allow 8am–8pm.
export const DEFAULT_WINDOW: SendingWindow = { startHour: 8, endHour: 21 };
const STRICT_SUBDIVISIONS = new Set(["Florida", "Oklahoma", "Maryland"]);

/** The recipient's window: the shop's setting, narrowed where state law is stricter. */
export function sendingWindow(subdivision: string | null, shopWindow: SendingWindow = DEFAULT_WINDOW): SendingWindow {
  if (subdivision && STRICT_SUBDIVISIONS.has(subdivision)) {
    return { startHour: Math.max(shopWindow.startHour, 8), endHour: Math.min(shopWindow.endHour, 20) };
  }
  return shopWindow;
}

// Building an Intl formatter costs far more than using one (it showed in the dispatcher's profile).
const clockFormats = new Map<string, Intl.DateTimeFormat>();

export function localMinutes(at: Date, timeZone: string): number {
  const format = cached(clockFormats, timeZone, () => new Intl.DateTimeFormat("en-US", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }));
  const parts = format.formatToParts(at);
  const hour = Number(parts.find((p) => p.type === "hour")!.value);
  const minute = Number(parts.find((p) => p.type === "minute")!.value);
  return hour * 60 + minute;
}

/**
 * Null when `at` is inside the window in `timeZone`; otherwise the next instant the window
 * opens (on the minute). Handles DST by re-reading the local time of the candidate.
 */
export function nextAllowedTime(at: Date, timeZone: string, window: SendingWindow): Date | null {
  const now = localMinutes(at, timeZone);
  const open = window.startHour * 60;
  const close = window.endHour * 60;
  if (now >= open && now < close) return null;
  const waitMinutes = now < open ? open - now : 24 * 60 - now + open;
  let candidate = new Date(Math.floor(at.getTime() / 60_000) * 60_000 + waitMinutes * 60_000);
  // A DST change in between shifts local time by an hour; step to the real opening.
  const drift = localMinutes(candidate, timeZone) - open;
  if (drift !== 0 && Math.abs(drift) <= 120) candidate = new Date(candidate.getTime() - drift * 60_000);
  return candidate;
}
