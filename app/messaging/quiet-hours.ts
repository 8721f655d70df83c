import { minutesIntoDay, wallTimeOnDay } from "../lib/zoned-time";

export interface SendingWindow {
  /** First local hour texts may go out (inclusive). */
  startHour: number;
  /** Local hour from which texts may not go out (exclusive). */
  endHour: number;
}

// TCPA (47 CFR 64.1200(c)(1)): no solicitation before 8am or after 9pm recipient local time.
// Florida (Fla. Stat. 501.059(8)), Oklahoma (Okla. Stat. tit. 15 §775C.4) and Maryland (Stop
// the Spam Calls Act 2023) allow 8am–8pm.
export const DEFAULT_WINDOW: SendingWindow = { startHour: 8, endHour: 21 };
const LEGAL_WINDOW: SendingWindow = { startHour: 8, endHour: 21 };
const STRICT_STATE_WINDOW: SendingWindow = { startHour: 8, endHour: 20 };
export const STRICT_SUBDIVISIONS: ReadonlySet<string> = new Set(["Florida", "Oklahoma", "Maryland"]);

/**
 * The recipient's window: the shop's setting, narrowed to what the law allows. The merchant
 * may widen the setting to 0–24; the law doesn't move, so the stricter of the two applies.
 * The TCPA binds US numbers; a number of unknown region is treated as one. Elsewhere the
 * shop's own window stands.
 */
export function sendingWindow(subdivision: string | null, shopWindow: SendingWindow = DEFAULT_WINDOW, region: string | null = null): SendingWindow {
  if (region !== null && region !== "US") return shopWindow;
  const law = subdivision && STRICT_SUBDIVISIONS.has(subdivision) ? STRICT_STATE_WINDOW : LEGAL_WINDOW;
  const startHour = Math.max(shopWindow.startHour, law.startHour);
  const endHour = Math.min(shopWindow.endHour, law.endHour);
  // A shop window entirely outside the legal one would never open: the legal one applies then.
  return startHour < endHour ? { startHour, endHour } : law;
}

/**
 * Null when `at` is inside the window in `timeZone`; otherwise the next instant the window
 * opens: its opening hour today, or tomorrow once today's has passed. Across a DST change the
 * opening hour is read on the new clock (app/lib/zoned-time.ts).
 */
export function nextAllowedTime(at: Date, timeZone: string, window: SendingWindow): Date | null {
  const now = minutesIntoDay(at, timeZone);
  const open = window.startHour * 60;
  const close = window.endHour * 60;
  if (now >= open && now < close) return null;
  return wallTimeOnDay(at, timeZone, now < open ? 0 : 1, open);
}
