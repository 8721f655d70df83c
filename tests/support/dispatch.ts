import { twilioGateway } from "~/adapters/twilio.server";
import { clock } from "~/clock.server";
import { database } from "~/db.server";
import { dispatchDueMessages } from "~/dispatch/dispatch.server";
import type { FakeTwilio } from "../mocks/twilio";

export const TEST_ACCOUNT_SID = `AC${"1".repeat(32)}`;
export const TEST_SERVICE_SID = `MG${"2".repeat(32)}`;

export function testGateway(fake: FakeTwilio) {
  return twilioGateway({ accountSid: TEST_ACCOUNT_SID, authToken: "t".repeat(32), messagingServiceSid: TEST_SERVICE_SID, baseUrl: fake.url, backoffMs: 1 });
}

/** One dispatcher tick against the fake Twilio, at the app clock's time. */
export async function dispatchOnce(fake: FakeTwilio, workerId = "test-worker") {
  const { sql } = await database();
  const gateway = testGateway(fake);
  return dispatchDueMessages({ sql, gatewayFor: () => gateway, workerId, now: () => clock.now(), statusCallbackUrl: "https://nudge.test/twilio/status" });
}
