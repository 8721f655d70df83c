import type { PrismaClient } from "@prisma/client";
import { beforeAll, afterAll, describe, expect, it } from "vitest";
import { CampaignDraftSchema } from "~/campaigns/campaign-draft";
import { scheduleCampaign, sendCampaignNow, loadCampaign } from "~/campaigns/campaigns.server";
import { changeCampaign, fanOutDueCampaigns } from "~/campaigns/schedule.server";
import { clock as appClock, fixedClock, setClock } from "~/clock.server";
import { database } from "~/db.server";
import { dispatchDueMessages } from "~/dispatch/dispatch.server";
import { initialState } from "~/journey";
import { startFakeTwilio, type FakeTwilio } from "../mocks/twilio";
import { dispatchOnce, testGateway } from "../support/dispatch";
import { installShop, TEST_SHOP } from "../support/shopify";

// Scheduling, pausing, resuming and cancelling a campaign (issue #19, item 3): no text twice,
// none after a cancel, none while paused.
const T = new Date("2026-11-24T15:00:00Z"); // 10:00 in New York
const HOUR = 3_600_000;
const clock = fixedClock(T);
const SUBSCRIBERS = 40;
let prisma: PrismaClient;
let fake: FakeTwilio;

const draft = (name: string) => CampaignDraftSchema.parse({ name, message: `${name}: shop now`, audience: { kind: "subscribers" }, controlPercent: 0, smartSendingHours: 0 });

async function dispatchBatch(size: number) {
  const { sql } = await database();
  const gateway = testGateway(fake);
  return dispatchDueMessages({ sql, gatewayFor: () => gateway, workerId: "w", batchSize: size, now: () => appClock.now(), statusCallbackUrl: null });
}

const textsOf = (name: string) => fake.messages.filter((m) => m.body.includes(`${name}: shop now`));

beforeAll(async () => {
  setClock(clock);
  prisma = await installShop();
  fake = await startFakeTwilio();
  const state = JSON.parse(JSON.stringify({ ...initialState("US"), consentLog: [{ at: T.getTime() - 48 * HOUR, kind: "in", source: "popup" }] }));
  await prisma.shopper.createMany({
    data: Array.from({ length: SUBSCRIBERS }, (_, i) => ({ shop: TEST_SHOP, phone: `+1646555${String(8000 + i)}`, country: "US", consent: "granted", state })),
  });
});
afterAll(() => fake.close());

describe("a campaign's lifecycle", () => {
  it("pauses mid-send, sends nothing while paused, and resumes without texting anyone twice", async () => {
    const { sql } = await database();
    const { id } = await sendCampaignNow(sql, TEST_SHOP, draft("Pause"), T);
    await dispatchBatch(10);
    expect(textsOf("Pause")).toHaveLength(10);
    expect(await changeCampaign(sql, TEST_SHOP, id, "pause", T)).toBe("paused");
    expect(await prisma.scheduledMessage.count({ where: { campaignId: id, status: "paused" } })).toBe(SUBSCRIBERS - 10);
    await dispatchOnce(fake);
    expect(textsOf("Pause")).toHaveLength(10);
    expect((await loadCampaign(sql, TEST_SHOP, id))!.status).toBe("paused");
    // Pausing twice, or resuming a campaign that isn't paused, changes nothing.
    expect(await changeCampaign(sql, TEST_SHOP, id, "pause", T)).toBeNull();

    expect(await changeCampaign(sql, TEST_SHOP, id, "resume", T)).toBe("sending");
    await dispatchOnce(fake);
    await dispatchOnce(fake);
    const to = textsOf("Pause").map((m) => m.to);
    expect(to).toHaveLength(SUBSCRIBERS);
    expect(new Set(to).size).toBe(SUBSCRIBERS);
    expect((await loadCampaign(sql, TEST_SHOP, id))!.status).toBe("sent");
    // A sent campaign can't be cancelled.
    expect(await changeCampaign(sql, TEST_SHOP, id, "cancel", T)).toBeNull();
  });

  it("cancels a sending campaign: what was left is never sent", async () => {
    const { sql } = await database();
    const later = new Date(T.getTime() + 24 * HOUR);
    clock.set(later);
    const { id } = await sendCampaignNow(sql, TEST_SHOP, draft("Cancel"), later);
    await dispatchBatch(5);
    expect(await changeCampaign(sql, TEST_SHOP, id, "cancel", later)).toBe("cancelled");
    await dispatchOnce(fake);
    expect(textsOf("Cancel")).toHaveLength(5);
    expect(await prisma.scheduledMessage.count({ where: { campaignId: id, status: "cancelled", reason: "campaign_cancelled" } })).toBe(SUBSCRIBERS - 5);
  });

  it("fans out a scheduled campaign at its time, once, and never one cancelled before", async () => {
    const { sql } = await database();
    const now = new Date(T.getTime() + 48 * HOUR);
    clock.set(now);
    const at = new Date(now.getTime() + HOUR);
    const scheduled = await scheduleCampaign(sql, TEST_SHOP, draft("Later"), at);
    const cancelled = await scheduleCampaign(sql, TEST_SHOP, draft("Never"), at);
    expect(await changeCampaign(sql, TEST_SHOP, cancelled, "cancel", now)).toBe("cancelled");
    expect(await fanOutDueCampaigns(sql, now)).toBe(0);
    expect(await prisma.scheduledMessage.count({ where: { campaignId: scheduled } })).toBe(0);

    clock.set(at);
    expect(await fanOutDueCampaigns(sql, at)).toBe(1);
    expect(await fanOutDueCampaigns(sql, at)).toBe(0);
    const rows = await prisma.scheduledMessage.findMany({ where: { campaignId: scheduled } });
    expect(rows).toHaveLength(SUBSCRIBERS);
    expect(rows.every((r) => r.dueAt.getTime() === at.getTime())).toBe(true);
    await dispatchOnce(fake);
    await dispatchOnce(fake);
    expect(textsOf("Later")).toHaveLength(SUBSCRIBERS);
    expect(await prisma.scheduledMessage.count({ where: { campaignId: cancelled } })).toBe(0);
    expect(textsOf("Never")).toHaveLength(0);
  });
});
