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

const perShop = new Map<string, SmsGateway>();

/**
 * The gateway for a shop: its own Twilio account when it has connected one in settings,
 * otherwise `fallback` (the account from the environment). Null when there is neither.
 */
export function gatewayResolver(fallback: SmsGateway | null) {
  return (shop: string, settings: unknown): SmsGateway | null => {
    const own = readTwilioCredentials(settings, encryptionKey());
    if (!own) return fallback;
    const cacheKey = `${shop}|${own.accountSid}|${own.authToken}|${own.messagingServiceSid ?? own.fromNumber}`;
    let gateway = perShop.get(cacheKey);
    if (!gateway) {
      gateway = twilioGateway({
        accountSid: own.accountSid,
        authToken: own.authToken,
        messagingServiceSid: own.messagingServiceSid,
        from: own.fromNumber,
        baseUrl: env().TWILIO_API_BASE_URL,
      });
      perShop.set(cacheKey, gateway);
    }
    return gateway;
  };
}
export type GatewayResolver = ReturnType<typeof gatewayResolver>;

/** Where Twilio posts delivery updates for our texts. */
export function statusCallbackUrl(): string {
  return new URL("/twilio/status", env().SHOPIFY_APP_URL).toString();
}
