import type { FakeTwilio } from "../mocks/twilio";

/** The auth token of the demo's own Twilio sender in the browser tests; it also signs Twilio's requests to the demo. */
export const DEMO_TWILIO_AUTH_TOKEN = "e2e-twilio-auth-token-0123456789";

/**
 * The demo's environment for a Twilio sender of its own (no merchant account connected) whose
 * texts go to `fake`: what a shop's texts need to leave the demo in these tests.
 */
export function fakeTwilioSenderEnv(fake: FakeTwilio): Record<string, string> {
  return {
    TWILIO_ACCOUNT_SID: `AC${"5".repeat(32)}`,
    TWILIO_AUTH_TOKEN: DEMO_TWILIO_AUTH_TOKEN,
    TWILIO_MESSAGING_SERVICE_SID: `MG${"6".repeat(32)}`,
    TWILIO_API_BASE_URL: fake.url,
  };
}
