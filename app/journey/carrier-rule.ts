/**
 * The US/Canada carrier rule for abandonment texts (checkout, cart and browse), written once.
 * Pure.
 *
 * Source: CTIA guidance as enforced by the US carriers since T-Mobile's Code of Conduct added
 * shopping-cart reminders in May 2020 (and as Postscript, Attentive and Klaviyo apply it): one
 * text per abandonment, sent within 48 hours of it, to a shopper who opted in before
 * abandoning. Canadian numbers share the +1 plan and the same carrier routes, so they get the
 * same rule. A number of unknown region gets it too: the stricter choice when in doubt.
 */

/** Regions whose numbers the rule covers. */
const NANP_REGIONS: ReadonlySet<string> = new Set(["US", "CA"]);

/** The latest an abandonment text may go out, counted from the abandonment. */
export const NANP_CART_WINDOW_HOURS = 48;

const HOUR = 3_600_000;

/** True when the carrier rule covers this phone number's region (null: not known). */
export function carrierRuleApplies(phoneRegion: string | null): boolean {
  return phoneRegion === null || NANP_REGIONS.has(phoneRegion);
}

/** The steps of an abandonment flow the rule allows: the first only where it applies. */
export function allowedAbandonmentSteps<T>(phoneRegion: string | null, steps: readonly T[]): readonly T[] {
  return carrierRuleApplies(phoneRegion) ? steps.slice(0, 1) : steps;
}

/**
 * The last moment an abandonment text may go out (ms): the flow's window, cut to 48 hours
 * where the rule applies. Null when the rule forbids any text because consent came after the
 * abandonment.
 */
export function abandonmentDeadline(phoneRegion: string | null, consentSince: number, abandonedAt: number, windowHours: number): number | null {
  const covered = carrierRuleApplies(phoneRegion);
  if (covered && consentSince > abandonedAt) return null;
  return abandonedAt + (covered ? Math.min(windowHours, NANP_CART_WINDOW_HOURS) : windowHours) * HOUR;
}
