import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";

export interface NormalizedPhone {
  /** E.164, e.g. +16135550123 */
  e164: string;
  /** ISO 3166 region the number belongs to, when libphonenumber can tell. */
  region: string | null;
}

/**
 * Normalises a phone number to E.164 with libphonenumber-js. National formats are read in
 * `defaultCountry` (the address or shop country). Returns null for anything that is not a
 * possible number, so junk like "555-555-BILL" never becomes an identity.
 */
export function normalizePhone(raw: string | null | undefined, defaultCountry?: string | null, options: { strict?: boolean } = {}): NormalizedPhone | null {
  if (!raw) return null;
  const trimmed = raw.trim();
  if (trimmed.length === 0 || trimmed.length > 40 || /[a-z]/i.test(trimmed)) return null;
  const parsed = parsePhoneNumberFromString(trimmed, asCountry(defaultCountry));
  // strict: a number a shopper types must be a real, assigned number, not merely the right length.
  if (!parsed || !(options.strict ? parsed.isValid() : parsed.isPossible())) return null;
  // An unassigned or fictional range has no single country; fall back to the calling code's
  // main one (+44 -> GB), which is what quiet hours and carrier rules need.
  return { e164: parsed.number, region: parsed.country ?? parsed.getPossibleCountries()[0] ?? null };
}

function asCountry(code: string | null | undefined): CountryCode | undefined {
  return code && /^[A-Z]{2}$/.test(code) ? (code as CountryCode) : undefined;
}
