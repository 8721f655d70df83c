import { randomInt } from "node:crypto";

// No 0/O or 1/I/L: codes are read off a phone screen and typed.
const ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/** A single-use code like NUDGE-7KQ2MX9P: 8 characters from 31, about 40 bits. */
export function generateDiscountCode(prefix = "NUDGE"): string {
  let body = "";
  for (let i = 0; i < 8; i++) body += ALPHABET[randomInt(ALPHABET.length)];
  return `${prefix}-${body}`;
}

/**
 * The link that applies the code and lands the shopper where they were: Shopify's
 * /discount/<code>?redirect=<path> (the path of the abandoned checkout URL, or the home page).
 * `storefront` is the shop's online store, https://<shop> unless a stand-in is given (the
 * offline demo serves its own).
 */
export function discountLink(shopDomain: string, code: string, destination: string | null, storefront = `https://${shopDomain}`): string {
  const base = storefront.replace(/\/$/, "");
  const url = new URL(`${base}/discount/${encodeURIComponent(code)}`);
  if (destination) {
    const target = new URL(destination, `https://${shopDomain}`);
    url.searchParams.set("redirect", `${target.pathname}${target.search}`);
  }
  return url.toString();
}
