import { env } from "../env.server";
import { parseEncryptionKey } from "../lib/secret-box.server";
import { readTwilioCredentials } from "../services/twilio-credentials.server";
import { twilioGateway, type SmsGateway } from "./twilio.server";

/** The Twilio gateway from the environment, or null when Twilio is not configured there. */
export function gatewayFromEnv(): SmsGateway | null {
  const e = env();
  if (!e.TWILIO_ACCOUNT_SID || !e.TWILIO_AUTH_TOKEN) return null;
  return twilioGateway({
    accountSid: e.TWILIO_ACCOUNT_SID,
    authToken: e.TWILIO_AUTH_TOKEN,
    messagingServiceSid: e.TWILIO_MESSAGING_SERVICE_SID,
    from: e.TWILIO_FROM_NUMBER,
    baseUrl: e.TWILIO_API_BASE_URL,
  });
}

export function encryptionKey(): Buffer | null {
  const value = env().NUDGE_ENCRYPTION_KEY;
  return value ? parseEncryptionKey(value) : null;
}

// By shop and stored settings.twilio (token still sealed): each chunk of a tick asks, and opening
// the token (AES-GCM) and checking its shape on every ask took about 3% of the dispatcher's busy
// time in its profile. A change of the stored account is a new key; null when it can't be used.
const perShop = new Map<string, SmsGateway | null>();

/**
 * The gateway for a shop: its own Twilio account when it has connected one in settings,
 * otherwise `fallback` (the account from the environment). Null when there is neither.
 */
export function gatewayResolver(fallback: SmsGateway | null) {
  return (shop: string, settings: unknown): SmsGateway | null => {
    const stored = typeof settings === "object" && settings !== null ? (settings as Record<string, unknown>).twilio : undefined;
    if (stored === undefined) return fallback;
    const cacheKey = `${shop}|${JSON.stringify(stored)}`;
    let gateway = perShop.get(cacheKey);
    if (gateway === undefined) {
      const own = readTwilioCredentials(settings, encryptionKey());
      gateway = own
        ? twilioGateway({
            accountSid: own.accountSid,
            authToken: own.authToken,
            messagingServiceSid: own.messagingServiceSid,
            from: own.fromNumber,
            baseUrl: env().TWILIO_API_BASE_URL,
          })
        : null;
      perShop.set(cacheKey, gateway);
    }
    return gateway ?? fallback;
  };
}
export type GatewayResolver = ReturnType<typeof gatewayResolver>;

/** Where Twilio posts delivery updates for our texts. */
export function statusCallbackUrl(): string {
  return new URL("/twilio/status", env().SHOPIFY_APP_URL).toString();
}
