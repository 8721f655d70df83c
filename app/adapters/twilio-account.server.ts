import type { TwilioCredentials } from "../services/twilio-credentials.server";
import { twilioClientFor, type TwilioClientOptions } from "./twilio-client.server";

export type TwilioAccountCheck =
  | { ok: true; friendlyName: string }
  /** Twilio said no to the SID/token pair (HTTP 401, error 20003). */
  | { ok: false; reason: "rejected"; code: number | null; message: string }
  /** The account exists but is suspended or closed: it can't send. */
  | { ok: false; reason: "account_inactive"; code: null; message: string }
  /** The Messaging Service or From number is not on this account. */
  | { ok: false; reason: "sender_not_found"; code: number | null; message: string }
  /** No HTTP answer at all: DNS, refused, reset, timeout. */
  | { ok: false; reason: "unreachable"; code: null; message: string }
  /** Any other answer from Twilio (5xx, 429, unexpected 4xx). */
  | { ok: false; reason: "twilio_error"; code: number | null; message: string };

export type TwilioAccountCheckOptions = TwilioClientOptions;

/**
 * Proves a set of credentials works before we store them, with read-only calls through the
 * real `twilio` client:
 *  1. fetch the account: GET /2010-04-01/Accounts/{Sid}.json (client.api.v2010.accounts(sid).fetch());
 *     a wrong SID or token answers 401 with error 20003;
 *  2. the sender: a Messaging Service is fetched from the Messaging API
 *     (GET https://messaging.twilio.com/v1/Services/{MG…}, client.messaging.v1.services(sid).fetch()),
 *     a From number must be one of the account's IncomingPhoneNumbers
 *     (GET /2010-04-01/Accounts/{Sid}/IncomingPhoneNumbers.json?PhoneNumber=…, .incomingPhoneNumbers.list()).
 * Nothing here sends a text or changes the account.
 * Sources: twilio-node 6.2 lib/rest/api/v2010/account.js, account/incomingPhoneNumber.js,
 * lib/rest/messaging/v1/service.js; https://www.twilio.com/docs/api/errors/20003.
 */
export async function checkTwilioAccount(credentials: TwilioCredentials, options: TwilioAccountCheckOptions = {}): Promise<TwilioAccountCheck> {
  const client = twilioClientFor(credentials, options);
  const account = client.api.v2010.accounts(credentials.accountSid);

  let friendlyName: string;
  try {
    const fetched = await account.fetch();
    if (fetched.status !== "active") {
      return { ok: false, reason: "account_inactive", code: null, message: `This Twilio account is ${fetched.status}, so it can't send texts.` };
    }
    friendlyName = fetched.friendlyName;
  } catch (error) {
    return classify(error, "account");
  }

  try {
    if (credentials.messagingServiceSid) {
      await client.messaging.v1.services(credentials.messagingServiceSid).fetch();
    } else if (credentials.fromNumber) {
      const numbers = await account.incomingPhoneNumbers.list({ phoneNumber: credentials.fromNumber, limit: 1 });
      if (!numbers.some((n) => n.phoneNumber === credentials.fromNumber)) {
        return { ok: false, reason: "sender_not_found", code: null, message: `${credentials.fromNumber} is not a phone number on this Twilio account.` };
      }
    }
  } catch (error) {
    return classify(error, "sender");
  }
  return { ok: true, friendlyName };
}

function classify(error: unknown, step: "account" | "sender"): Exclude<TwilioAccountCheck, { ok: true }> {
  const e = error as { status?: unknown; code?: unknown; message?: unknown };
  const message = typeof e.message === "string" ? e.message : String(error);
  if (typeof e.status !== "number") return { ok: false, reason: "unreachable", code: null, message };
  const code = typeof e.code === "number" ? e.code : null;
  if (e.status === 401 || code === 20003) return { ok: false, reason: "rejected", code, message };
  if (step === "sender" && e.status === 404) {
    return { ok: false, reason: "sender_not_found", code, message: "Twilio has no Messaging Service with this SID on this account." };
  }
  return { ok: false, reason: "twilio_error", code, message: `Twilio answered ${e.status}${code ? ` (error ${code})` : ""}: ${message}` };
}
