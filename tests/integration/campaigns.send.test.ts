import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fanOutCampaign } from "~/campaigns/fan-out.server";
import { sendCampaignNow, loadCampaign } from "~/campaigns/campaigns.server";
import { CampaignDraftSchema } from "~/campaigns/campaign-draft";
import { audienceReach } from "~/campaigns/reach.server";
import { campaignResults } from "~/campaigns/results.server";
import { fixedClock, setClock } from "~/clock.server";
import { database } from "~/db.server";
import { holdoutKey } from "~/dispatch/campaign-guard";
import { inHoldout } from "~/offers/holdout";
import { optOutManually } from "~/services/manual-opt-out.server";
import { ingestWebhook } from "~/webhooks/ingest.server";
import { startFakeTwilio, type FakeTwilio } from "../mocks/twilio";
import { dispatchOnce } from "../support/dispatch";
import { checkoutPayload, installShop, TEST_SHOP } from "../support/shopify";

// A campaign to all SMS subscribers, sent now, through the real dispatcher and a fake Twilio.
const T = new Date("2026-11-24T15:00:00Z"); // 10:00 in New York, midnight in Tokyo
const HOUR = 3_600_000;
const clock = fixedClock(T);
const SUBSCRIBERS = Array.from({ length: 60 }, (_, i) => `+1646555${String(2000 + i)}`);
const NO_CONSENT = Array.from({ length: 5 }, (_, i) => `+1646555${String(3000 + i)}`);
const OPTED_OUT = Array.from({ length: 3 }, (_, i) => `+1646555${String(4000 + i)}`);
const TEXTED_2H_AGO = "+16465555001";
const TEXTED_20H_AGO = "+16465555002";
const AT_NIGHT = "+81901234567"; // Tokyo: the campaign waits for the morning there
let prisma: PrismaClient;
let fake: FakeTwilio;
let campaignId: string;

async function checkout(phone: string, at: Date, consent: boolean) {
  const { sql } = await database();
  const payload = checkoutPayload({ token: `c-${phone}`, createdAt: at, phone, buyer_accepts_sms_marketing: consent });
  payload.customer = null;
  await ingestWebhook(sql, { shop: TEST_SHOP, topic: "CHECKOUTS_CREATE", webhookId: randomUUID(), payload, now: at });
}

async function shopperId(phone: string): Promise<string> {
  return (await prisma.shopper.findFirstOrThrow({ where: { shop: TEST_SHOP, phone } })).id;
}

/** A marketing text the shopper got `hoursAgo`, recorded as the dispatcher records one. */
async function sentEarlier(phone: string, hoursAgo: number) {
  const at = new Date(T.getTime() - hoursAgo * HOUR);
  await prisma.scheduledMessage.create({
    data: { shop: TEST_SHOP, shopperId: await shopperId(phone), dedupeKey: `welcome-${phone}`, flow: "welcome", step: 1, dueAt: at, status: "sent", sentAt: at },
  });
}

const draft = CampaignDraftSchema.parse({ name: "Winter sale", message: "Hi {{first_name}}, our winter sale starts now: {{checkout_link}}", audience: { kind: "subscribers" } });

beforeAll(async () => {
  setClock(clock);
  prisma = await installShop();
  // The cart texts these checkouts plan are due later; switched off so only the campaign goes.
  await prisma.shop.update({ where: { domain: TEST_SHOP }, data: { settings: { journey: { cartRecovery: { enabled: false } } } } });
  fake = await startFakeTwilio();
  const earlier = new Date(T.getTime() - 24 * HOUR);
  for (const phone of [...SUBSCRIBERS, ...OPTED_OUT, TEXTED_2H_AGO, TEXTED_20H_AGO, AT_NIGHT]) await checkout(phone, earlier, true);
  for (const phone of NO_CONSENT) await checkout(phone, earlier, false);
  const { sql } = await database();
  for (const phone of OPTED_OUT) expect(await optOutManually(sql, TEST_SHOP, await shopperId(phone), new Date(T.getTime() - HOUR))).toBe(true);
  await sentEarlier(TEXTED_2H_AGO, 2);
  await sentEarlier(TEXTED_20H_AGO, 20);
}, 120_000);
afterAll(() => fake.close());

describe("a campaign to all SMS subscribers, sent now", () => {
  it("previews its reach, and who is left out and why", async () => {
    const { sql } = await database();
    const reach = await sql.transaction((tx) => audienceReach(tx, TEST_SHOP, draft.audience, T, 16));
    expect(reach).toEqual({ sendable: SUBSCRIBERS.length + 3, optedOut: OPTED_OUT.length, noConsent: 0, noPhone: 0, recentlyTexted: 1 });
    // Shoppers who never subscribed aren't subscribers; a stage audience names them, and leaves them out.
    const stage = await sql.transaction((tx) => audienceReach(tx, TEST_SHOP, { kind: "stage", stage: "consideration" }, T, 16));
    expect(stage.noConsent).toBe(NO_CONSENT.length);
  });

  it("enqueues exactly the consenting subscribers, once, in one fan-out", async () => {
    const { sql } = await database();
    const sent = await sendCampaignNow(sql, TEST_SHOP, draft, T);
    campaignId = sent.id;
    expect(sent.fanOut).toEqual({ recipients: SUBSCRIBERS.length + 3, leftOut: { optedOut: OPTED_OUT.length, noConsent: 0, noPhone: 0 } });
    const rows = await prisma.scheduledMessage.findMany({ where: { shop: TEST_SHOP, campaignId } });
    expect(rows).toHaveLength(SUBSCRIBERS.length + 3);
    const ids = new Set(rows.map((r) => r.shopperId));
    for (const phone of [...NO_CONSENT, ...OPTED_OUT]) expect(ids.has(await shopperId(phone))).toBe(false);
    // A second Send now (a double click, or the scheduler racing it) adds nothing.
    expect(await sql.transaction((tx) => fanOutCampaign(tx, TEST_SHOP, campaignId, T, T))).toBeNull();
    expect(await prisma.scheduledMessage.count({ where: { campaignId } })).toBe(SUBSCRIBERS.length + 3);
    expect((await loadCampaign(sql, TEST_SHOP, campaignId))!.status).toBe("sending");
  });

  it("texts every subscriber outside its control group exactly once, under every guard", async () => {
    for (let i = 0; i < 4; i++) await dispatchOnce(fake);
    const to = fake.messages.map((m) => m.to);
    expect(new Set(to).size).toBe(to.length);
    for (const phone of SUBSCRIBERS) {
      const held = inHoldout(await shopperId(phone), holdoutKey(campaignId), 10);
      expect(to.includes(phone)).toBe(!held);
    }
    for (const phone of [...NO_CONSENT, ...OPTED_OUT, TEXTED_2H_AGO, AT_NIGHT]) expect(to).not.toContain(phone);
    // Smart sending skips only who was texted within its 16 hours.
    expect(to.includes(TEXTED_20H_AGO)).toBe(!inHoldout(await shopperId(TEXTED_20H_AGO), holdoutKey(campaignId), 10));
    // The merchant's message, the brand, the shop's link (tracked when a link base is set), the opt-out line.
    expect(fake.messages[0]!.body).toBe("Nudge Test Shop: Hi there, our winter sale starts now: https://nudge-test.myshopify.com\nReply STOP to opt out");

    const rows = await prisma.scheduledMessage.findMany({ where: { campaignId } });
    const byShopper = new Map(rows.map((r) => [r.shopperId, r]));
    expect(byShopper.get(await shopperId(TEXTED_2H_AGO))).toMatchObject({ status: "skipped", reason: "smart_sending" });
    // Quiet hours in the shopper's own zone: deferred to 8:00 in Tokyo, not dropped.
    const night = byShopper.get(await shopperId(AT_NIGHT))!;
    expect(night).toMatchObject({ status: "scheduled", reason: "quiet_hours" });
    expect(night.dueAt.toISOString()).toBe("2026-11-24T23:00:00.000Z");
  });

  it("reports its results: recipients, sent, skipped by reason", async () => {
    const { sql } = await database();
    const results = await campaignResults(sql, TEST_SHOP, campaignId);
    const held = results.skipped.holdout ?? 0;
    expect(results.recipients).toBe(SUBSCRIBERS.length + 3);
    expect(results.sent).toBe(fake.messages.length);
    expect(results.sent + held + (results.skipped.smart_sending ?? 0) + results.pending).toBe(results.recipients);
    expect(results.pending).toBe(1); // the Tokyo shopper, waiting for the morning
    expect(results.lift.status).toBe("insufficient_data");
  });
});
