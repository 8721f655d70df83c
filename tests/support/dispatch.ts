import { twilioGateway } from "~/adapters/twilio.server";
import { clock } from "~/clock.server";
import { database } from "~/db.server";
import { dispatchDueMessages } from "~/dispatch/dispatch.server";
import type { PrismaClient } from "@prisma/client";
import { initialState } from "~/journey";
import type { FakeTwilio } from "../mocks/twilio";
import { TEST_SHOP } from "./shopify";

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

/** Shoppers who consented an hour before `at`, each with one welcome text due just before it, written straight to the tables. */
export async function seedDueWelcomes(prisma: PrismaClient, at: Date, count: number, prefix: string): Promise<{ id: string; phone: string }[]> {
  const state = JSON.parse(JSON.stringify({ ...initialState("US"), consentLog: [{ at: at.getTime() - 3_600_000, kind: "in", source: "popup" }] }));
  const shoppers: { id: string; phone: string }[] = [];
  for (let i = 0; i < count; i++) {
    const phone = `+1646${prefix}${String(i).padStart(4, "0")}`;
    const shopper = await prisma.shopper.create({ data: { shop: TEST_SHOP, phone, country: "US", consent: "granted", state } });
    await prisma.scheduledMessage.create({
      data: { shop: TEST_SHOP, shopperId: shopper.id, dedupeKey: "welcome", flow: "welcome", step: 1, dueAt: new Date(at.getTime() - 1000) },
    });
    shoppers.push({ id: shopper.id, phone });
  }
  return shoppers;
}

/** How many texts `fake` has received once it has `count` or `ms` have passed, whichever is first. */
export async function sentWithin(fake: FakeTwilio, ms: number, count: number): Promise<number> {
  const deadline = Date.now() + ms;
  while (fake.messages.length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  return fake.messages.length;
}
