import twilio from "twilio";

/** A Twilio webhook POST signed the way Twilio signs it (X-Twilio-Signature over URL + params). */
export function twilioWebhook(path: string, params: Record<string, string>, authToken = process.env.TWILIO_AUTH_TOKEN!): Request {
  const url = new URL(path, process.env.SHOPIFY_APP_URL).toString();
  return new Request(url, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-twilio-signature": twilio.getExpectedTwilioSignature(authToken, url, params),
    },
    body: new URLSearchParams(params).toString(),
  });
}
