import { parsePhoneNumberFromString } from "libphonenumber-js";
import { clock } from "../clock.server";
import { loadPhoneGeoData, placeOfNumber, zonesOfNumber } from "./phone-geo-data.server";
import { subdivisionName } from "./subdivision-name";

export interface PhoneGeo {
  /** IANA zone, or null when the number doesn't pin one down. */
  timeZone: string | null;
  /** State or province name ("Florida"), from Google's libphonenumber geocoding data (subdivision-name.ts). */
  subdivision: string | null;
}

// A number's zone and state follow from its prefix (the area code in US/CA: a NANP area code
// lies in one state or province, though the geocoding data names some of its exchanges by
// city), so cache by prefix.
const cache = new Map<string, Promise<PhoneGeo>>();
const MAX_CACHE = 5_000;

/**
 * The prefix a number's zone and state are read by (and cached under): +1 and the area code,
 * else the first six digits. PHONE_GEO_PREFIX_SQL is the same on `s.phone` in SQL.
 */
function phoneGeoPrefix(e164: string): string {
  return e164.startsWith("+1") ? e164.slice(0, 5) : e164.slice(0, 7);
}
export const PHONE_GEO_PREFIX_SQL = "CASE WHEN s.phone LIKE '+1%' THEN left(s.phone, 5) ELSE left(s.phone, 7) END";

export function phoneGeo(e164: string): Promise<PhoneGeo> {
  const key = phoneGeoPrefix(e164);
  let hit = cache.get(key);
  if (!hit) {
    if (cache.size >= MAX_CACHE) cache.clear();
    hit = lookup(e164);
    cache.set(key, hit);
  }
  return hit;
}

async function lookup(e164: string): Promise<PhoneGeo> {
  const phone = parsePhoneNumberFromString(e164);
  if (!phone) return { timeZone: null, subdivision: null };
  // Only NANP numbers have subdivision rules (quiet-hours.ts), so only theirs are geocoded.
  const nanp = phone.countryCallingCode === "1";
  const [zones, place] = await Promise.all([zonesOfNumber(phone.number), nanp ? placeOfNumber("1", phone.nationalNumber) : null]);
  return {
    // Several zones (a number spanning them) can't tell us the recipient's; the caller falls back.
    timeZone: zones && new Set(zones.map(offsetNow)).size === 1 ? zones[0]! : null,
    subdivision: nanp ? subdivisionName(place) : null,
  };
}

/**
 * Parses the numbering data and sets up the zone formatting now (a dispatcher's start), so the
 * first texts don't wait for them: about 100 ms, once per process (ADR 011, 7 Dec 2026, latest).
 */
export async function warmPhoneGeo(): Promise<void> {
  await loadPhoneGeoData();
  offsetNow("America/New_York");
}

function offsetNow(zone: string): string {
  return new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" }).format(clock.now());
}
