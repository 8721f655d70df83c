import type { PrismaClient } from "@prisma/client";
import { beforeAll, describe, expect, it } from "vitest";
import { encryptionKey, gatewayResolver } from "~/adapters/sms.server";
import { twilioGateway } from "~/adapters/twilio.server";
import { fixedClock, setClock } from "~/clock.server";
import { database } from "~/db.server";
import { action as inbound } from "~/routes/twilio.inbound";
import { action as checkoutsCreate } from "~/routes/webhooks.checkouts.create";
import { describeTwilioCredentials, readTwilioCredentials, saveTwilioCredentials } from "~/services/twilio-credentials.server";
import { checkoutPayload, installShop, webhookRequest } from "../support/shopify";
import { twilioWebhook } from "../support/twilio";

const OWN = { accountSid: `AC${"a".repeat(32)}`, authToken: "own-account-token-0123456789", messagingServiceSid: `MG${"b".repeat(32)}` };
const OWN_SHOP = "own-twilio.myshopify.com";
const SHARED_SHOP = "shared-twilio.myshopify.com";
const T = new Date("2026-11-24T15:00:00Z");
let prisma: PrismaClient;

beforeAll(async () => {
  setClock(fixedClock(T));
  prisma = await installShop(OWN_SHOP);
  await installShop(SHARED_SHOP);
  const { sql } = await database();
  await saveTwilioCredentials(sql, OWN_SHOP, OWN, encryptionKey()!);
});

describe("a shop's own Twilio account", () => {
  it("is stored with the auth token sealed, and shown back only as its last four characters", async () => {
    const { settings } = await prisma.shop.findUniqueOrThrow({ where: { domain: OWN_SHOP } });
    expect(JSON.stringify(settings)).not.toContain(OWN.authToken);
    const read = readTwilioCredentials(settings, encryptionKey());
    expect(read).toEqual(OWN);
    expect(describeTwilioCredentials(read)).toEqual({ accountSid: OWN.accountSid, authToken: "••••••••6789", sender: OWN.messagingServiceSid });
  });

  it("sends that shop's texts, while other shops use the app's account", async () => {
    const fallback = twilioGateway({ accountSid: `AC${"1".repeat(32)}`, authToken: "x".repeat(32), from: "+15005550006" });
    const resolve = gatewayResolver(fallback);
    const shops = await prisma.shop.findMany({ where: { domain: { in: [OWN_SHOP, SHARED_SHOP] } } });
    const own = shops.find((s) => s.domain === OWN_SHOP)!;
    const shared = shops.find((s) => s.domain === SHARED_SHOP)!;
    expect(resolve(OWN_SHOP, own.settings)?.sender).toBe(OWN.messagingServiceSid);
    expect(resolve(SHARED_SHOP, shared.settings)).toBe(fallback);
  });

  it("verifies STOP with the shop's own token and opts the number out of that shop only", async () => {
    const phone = "+12125550177";
    for (const shop of [OWN_SHOP, SHARED_SHOP]) {
      const res = await checkoutsCreate({ request: webhookRequest("checkouts/create", checkoutPayload({ token: `acct-${shop}`, createdAt: T, phone }), { shop }), params: {}, context: {} });
      expect(res.status).toBe(200);
    }
    const forged = await inbound({ request: twilioWebhook("/twilio/inbound", { AccountSid: OWN.accountSid, From: phone, Body: "STOP", MessageSid: "SM1" }), params: {}, context: {} });
    expect(forged.status).toBe(403);

    const res = await inbound({
      request: twilioWebhook("/twilio/inbound", { AccountSid: OWN.accountSid, From: phone, Body: "STOP", MessageSid: "SM2" }, OWN.authToken),
      params: {},
      context: {},
    });
    expect(res.status).toBe(200);
    const consent = Object.fromEntries((await prisma.shopper.findMany({ where: { phone } })).map((s) => [s.shop, s.consent]));
    expect(consent).toEqual({ [OWN_SHOP]: "revoked", [SHARED_SHOP]: "granted" });
  });
});
