import { env } from "../env.server";
import { twilioGateway, type SmsGateway } from "./twilio.server";

/** The Twilio gateway from the environment, or null when Twilio is not configured. */
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

/** Where Twilio posts delivery updates for our texts. */
export function statusCallbackUrl(): string {
  return new URL("/twilio/status", env().SHOPIFY_APP_URL).toString();
}
