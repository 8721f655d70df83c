import twilio from "twilio";
import type { FakeTwilio } from "../mocks/twilio";

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

/**
 * A fake Twilio that the app's own Twilio client talks to: TWILIO_API_BASE_URL points at it.
 * The app reads its environment once, so start this in `vi.hoisted`, before any app module loads
 * (import this module there dynamically: it loads no app module itself).
 */
export async function startFakeTwilioForApp(): Promise<FakeTwilio> {
  const { startFakeTwilio } = await import("../mocks/twilio");
  const started = await startFakeTwilio();
  process.env.TWILIO_API_BASE_URL = started.url;
  return started;
}
