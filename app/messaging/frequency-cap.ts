import { STRICT_SUBDIVISIONS } from "./quiet-hours";

export interface FrequencyCap {
  windowHours: number;
  max: number;
}

// Defaults: 1 marketing text per 8 h and 3 per 24 h per shopper. 3 per 24 h is also the
// legal limit in Florida, Oklahoma and Maryland.
export const DEFAULT_CAPS: FrequencyCap[] = [
  { windowHours: 8, max: 1 },
  { windowHours: 24, max: 3 },
];

// Florida (Fla. Stat. 501.059(8)(b)), Oklahoma (Okla. Stat. tit. 15 §775C.4) and Maryland
// (Stop the Spam Calls Act 2023): at most 3 texts per 24 hours, whatever the shop's caps say.
const STATE_LAW_CAP: FrequencyCap = { windowHours: 24, max: 3 };

/** The caps the law sets for a recipient's state, on top of the shop's own. */
export function legalCaps(subdivision: string | null): FrequencyCap[] {
  return subdivision && STRICT_SUBDIVISIONS.has(subdivision) ? [STATE_LAW_CAP] : [];
}

/** The first cap that one more text at `now` would break, or null. */
export function brokenCap(sentAt: readonly Date[], now: Date, caps: readonly FrequencyCap[] = DEFAULT_CAPS): FrequencyCap | null {
  for (const cap of caps) {
    const since = now.getTime() - cap.windowHours * 3_600_000;
    const inWindow = sentAt.filter((t) => t.getTime() > since && t.getTime() <= now.getTime()).length;
    if (inWindow >= cap.max) return cap;
  }
  return null;
}

/**
 * The first instant at or after `from` when one more text breaks no cap: each broken cap frees
 * up when enough of the texts in its window have aged out of it. Texts sent later than `from`
 * aren't expected (the history is read at send time).
 */
export function capFreesAt(sentAt: readonly Date[], from: Date, caps: readonly FrequencyCap[]): Date {
  const times = sentAt.map((t) => t.getTime()).sort((a, b) => a - b);
  let at = from.getTime();
  // Each round frees one cap and moves forward; a handful of caps settle in a few rounds.
  for (let round = 0; round < 20; round++) {
    const cap = brokenCap(sentAt, new Date(at), caps);
    if (!cap) return new Date(at);
    const window = cap.windowHours * 3_600_000;
    const inWindow = times.filter((t) => t > at - window && t <= at);
    // Once the oldest (count - max + 1) of them leave the window, one more fits.
    at = inWindow[inWindow.length - cap.max]! + window;
  }
  return new Date(at);
}
