import { clock } from "../clock.server";
import { database } from "../db.server";
import { log, maskPhone } from "../lib/log.server";
import { normalizePhone } from "../lib/phone";
import { recordPopupOptIn } from "../services/popup-optin.server";
import { slidingWindowLimiter } from "./rate-limit";
import type { OptInRequest } from "./request";

// Per storefront: a bot hammering one shop's popup from one address, or one number, is slowed
// down without touching real shoppers (a person signs up once).
const perIp = slidingWindowLimiter(10, 10 * 60_000);
const perPhone = slidingWindowLimiter(3, 60 * 60_000);

export interface StorefrontSignUp {
  shop: string;
  form: OptInRequest;
  ip: string | null;
  userAgent: string | null;
  /** Shopify's logged_in_customer_id from the app proxy's query, unchecked. */
  customerId: string | null;
}

/** What the popup shows: its message, or the error, with the HTTP status. */
export type SignUpAnswer = { status: number; body: { ok: boolean; message?: string; error?: string } };

/**
 * A sign-up from the storefront popup: the number checked as a mobile number of its country,
 * rate limited per address and per number, then recorded with its consent evidence.
 */
export async function signUpFromStorefront(input: StorefrontSignUp): Promise<SignUpAnswer> {
  const { shop, form } = input;
  const phone = normalizePhone(form.phone, form.country, { strict: true });
  if (!phone) return { status: 422, body: { ok: false, error: "That doesn't look like a valid mobile number" } };
  if (!perIp.allow(`${shop}|${input.ip}`) || !perPhone.allow(`${shop}|${phone.e164}`)) {
    log.warn("opt-in rate limited", { shop, phone: maskPhone(phone.e164) });
    return { status: 429, body: { ok: false, error: "Too many attempts. Please try again later." } };
  }

  const { sql } = await database();
  const result = await recordPopupOptIn(sql, {
    shop,
    phone,
    customerId: input.customerId && /^\d{1,20}$/.test(input.customerId) ? input.customerId : null,
    firstName: form.firstName ?? null,
    clientId: form.clientId ?? null,
    now: clock.now(),
    evidence: {
      ip: input.ip,
      userAgent: input.userAgent?.slice(0, 500) ?? null,
      pageUrl: form.pageUrl ?? null,
      disclosureText: form.disclosureText,
      disclosureVersion: form.disclosureVersion,
    },
  });
  if (result.status === "shop_not_installed") return { status: 404, body: { ok: false, error: "Sign-ups are not available in this store right now." } };
  log.info("storefront opt-in", { shop, phone: maskPhone(phone.e164), status: result.status });
  if (result.status === "pending_confirmation") return { status: 200, body: { ok: true, message: "Almost there! Reply Y to the text we just sent you to confirm." } };
  return { status: 200, body: { ok: true, message: "You're in! Watch for a welcome text." } };
}
