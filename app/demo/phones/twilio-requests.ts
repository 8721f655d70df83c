import twilio from "twilio";

/**
 * The webhooks Twilio sends about messages, built and signed the way Twilio does, for the
 * demo's phone simulator. Parameters as documented at
 * twilio.com/docs/messaging/guides/track-outbound-message-status (status callbacks) and
 * twilio.com/docs/messaging/guides/webhook-request (incoming messages).
 */
export const TWILIO_API_VERSION = "2010-04-01";

export interface SimulatedText {
  sid: string;
  accountSid: string;
  from: string;
  to: string;
  messagingServiceSid: string | null;
}

export type DeliveryStatus = "queued" | "sent" | "delivered" | "undelivered" | "failed";

export function statusCallbackParams(text: SimulatedText, status: DeliveryStatus, errorCode?: number): Record<string, string> {
  return {
    AccountSid: text.accountSid,
    ApiVersion: TWILIO_API_VERSION,
    From: text.from,
    MessageSid: text.sid,
    MessageStatus: status,
    SmsSid: text.sid,
    SmsStatus: status,
    To: text.to,
    ...(text.messagingServiceSid ? { MessagingServiceSid: text.messagingServiceSid } : {}),
    ...(errorCode ? { ErrorCode: String(errorCode) } : {}),
  };
}

// Twilio's default opt-out, opt-in and help keywords (Advanced Opt-Out adds OptOutType):
// https://help.twilio.com/articles/223134027
const OPT_OUT_TYPES: Record<string, "STOP" | "START" | "HELP"> = {
  STOP: "STOP",
  STOPALL: "STOP",
  UNSUBSCRIBE: "STOP",
  CANCEL: "STOP",
  END: "STOP",
  QUIT: "STOP",
  START: "START",
  YES: "START",
  UNSTOP: "START",
  HELP: "HELP",
  INFO: "HELP",
};

/** The keyword class Twilio reports for a reply, or null for an ordinary message. */
export function optOutType(body: string): "STOP" | "START" | "HELP" | null {
  return OPT_OUT_TYPES[body.trim().toUpperCase()] ?? null;
}

export function inboundMessageParams(message: { sid: string; accountSid: string; from: string; to: string; body: string; messagingServiceSid: string | null }): Record<string, string> {
  const keyword = optOutType(message.body);
  return {
    AccountSid: message.accountSid,
    ApiVersion: TWILIO_API_VERSION,
    Body: message.body,
    From: message.from,
    FromCountry: "US",
    MessageSid: message.sid,
    NumMedia: "0",
    NumSegments: "1",
    SmsMessageSid: message.sid,
    SmsSid: message.sid,
    SmsStatus: "received",
    To: message.to,
    ToCountry: "US",
    ...(message.messagingServiceSid ? { MessagingServiceSid: message.messagingServiceSid } : {}),
    ...(keyword ? { OptOutType: keyword } : {}),
  };
}

/**
 * A form POST as Twilio sends it: X-Twilio-Signature is the base64 HMAC-SHA1, keyed with the
 * account's auth token, of the full URL followed by each parameter name and value sorted by
 * name. Computed by twilio's own getExpectedTwilioSignature, so the app's validateRequest
 * sees exactly what Twilio would send.
 */
export function signedTwilioRequest(authToken: string, url: string, params: Record<string, string>): RequestInit {
  return {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded; charset=utf-8",
      "x-twilio-signature": twilio.getExpectedTwilioSignature(authToken, url, params),
      "user-agent": "TwilioProxy/1.1",
    },
    body: new URLSearchParams(params).toString(),
  };
}
