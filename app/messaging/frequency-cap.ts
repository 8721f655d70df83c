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

/** The first cap that one more text at `now` would break, or null. */
export function brokenCap(sentAt: readonly Date[], now: Date, caps: readonly FrequencyCap[] = DEFAULT_CAPS): FrequencyCap | null {
  for (const cap of caps) {
    const since = now.getTime() - cap.windowHours * 3_600_000;
    const inWindow = sentAt.filter((t) => t.getTime() > since && t.getTime() <= now.getTime()).length;
    if (inWindow >= cap.max) return cap;
  }
  return null;
}
