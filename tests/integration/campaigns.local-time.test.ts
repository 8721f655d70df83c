import type { PrismaClient } from "@prisma/client";
import { beforeAll, describe, expect, it } from "vitest";
import { fanOutDueCampaigns } from "~/campaigns/schedule.server";
import { fixedClock, setClock } from "~/clock.server";
import { database } from "~/db.server";
import { action as composerAction } from "~/routes/app.campaigns.new";
import { adminRequest } from "../support/admin-request";
import { installShop, TEST_SHOP } from "../support/shopify";

// Issue #19: "10:00 in their time zone". Each recipient's text is due at the next 10:00 in
// their zone (the phone's, as quiet hours read it; else the shop's, America/Toronto here),
// computed set-wise by the fan-out; one whose 10:00 has passed gets the next day's.
const T = new Date("2026-11-24T12:00:00Z"); // 07:00 in New York
const PHONES = {
  newYork: "+16465550101",
  losAngeles: "+12135550101",
  tokyo: "+819012345678",
  sydney: "+61412345678",
  tollFree: "+18005550100", // no zone of its own: the shop's
};
let prisma: PrismaClient;

async function schedule(name: string, localSendAt: string) {
  const campaign = { name, message: "Morning deal: {{checkout_link}}", audience: { kind: "subscribers" }, controlPercent: 0, localSendAt };
  const request = await adminRequest("/app/campaigns/new", { form: { campaign: JSON.stringify(campaign), intent: "schedule" } });
  return composerAction({ request, params: {}, context: {} }).catch((thrown: unknown) => thrown) as Promise<Response>;
}

async function dueByPhone(campaignId: string): Promise<Record<string, string>> {
  const rows = await prisma.scheduledMessage.findMany({ where: { campaignId } });
  const shoppers = await prisma.shopper.findMany({ where: { id: { in: rows.map((r) => r.shopperId) } } });
  const phoneOf = new Map(shoppers.map((s) => [s.id, s.phone]));
  return Object.fromEntries(rows.map((r) => [phoneOf.get(r.shopperId)!, r.dueAt.toISOString()]));
}

beforeAll(async () => {
  setClock(fixedClock(T));
  prisma = await installShop();
  await prisma.shopper.createMany({ data: Object.values(PHONES).map((phone) => ({ shop: TEST_SHOP, phone, consent: "granted" })) });
});

describe("a campaign sent at 10:00 in each recipient's time zone", () => {
  it("is fanned out where 10:00 comes first, each text due at 10:00 local on that date (the next day's where today's has passed)", async () => {
    expect((await schedule("Local ten", "2026-11-25T10:00")).status).toBe(302);
    const campaign = await prisma.campaign.findFirstOrThrow({ where: { name: "Local ten" } });
    // 10:00 on the 25th comes first at UTC+14: 20:00 UTC on the 24th.
    expect(campaign).toMatchObject({ status: "scheduled", localTime: "10:00", sendAt: new Date("2026-11-24T20:00:00Z") });
    const { sql } = await database();
    expect(await fanOutDueCampaigns(sql, new Date("2026-11-24T19:59:00Z"))).toBe(0);
    // At 20:00 UTC on the 24th it is 15:00 in New York and Toronto, 12:00 in Los Angeles (their
    // 10:00 today has passed: the 25th's), and the 25th's early morning in Tokyo and Sydney.
    expect(await fanOutDueCampaigns(sql, new Date("2026-11-24T20:00:00Z"))).toBe(1);
    expect(await dueByPhone(campaign.id)).toEqual({
      [PHONES.sydney]: "2026-11-24T23:00:00.000Z", // 10:00 AEDT (UTC+11) on the 25th
      [PHONES.tokyo]: "2026-11-25T01:00:00.000Z", // 10:00 JST
      [PHONES.newYork]: "2026-11-25T15:00:00.000Z", // 10:00 EST
      [PHONES.tollFree]: "2026-11-25T15:00:00.000Z", // 10:00 in Toronto, the shop's zone
      [PHONES.losAngeles]: "2026-11-25T18:00:00.000Z", // 10:00 PST
    });
  });

  it("fanned out late, still texts each recipient at their next 10:00: now where it is 10:00 now", async () => {
    // Fanned out late (the worker was down): at 15:00 UTC on the 25th it is 10:00 in New York
    // and Toronto (due now), 07:00 in Los Angeles, and already the 26th in Sydney and Tokyo.
    expect((await schedule("Late ten", "2026-11-25T10:00")).status).toBe(302);
    const campaign = await prisma.campaign.findFirstOrThrow({ where: { name: "Late ten" } });
    const { sql } = await database();
    expect(await fanOutDueCampaigns(sql, new Date("2026-11-25T15:00:00Z"))).toBe(1);
    expect(await dueByPhone(campaign.id)).toEqual({
      [PHONES.sydney]: "2026-11-25T23:00:00.000Z",
      [PHONES.tokyo]: "2026-11-26T01:00:00.000Z",
      [PHONES.newYork]: "2026-11-25T15:00:00.000Z",
      [PHONES.tollFree]: "2026-11-25T15:00:00.000Z",
      [PHONES.losAngeles]: "2026-11-25T18:00:00.000Z",
    });
  });

  it("refuses a local time already past in every zone, and a malformed one, storing nothing", async () => {
    const past = await schedule("Too late", "2026-11-23T10:00");
    expect(past.status).toBe(422);
    expect(await past.json()).toMatchObject({ errors: { sendAt: "Choose a time in the future" } });
    expect((await schedule("Junk", "tomorrow at ten")).status).toBe(400);
    expect(await prisma.campaign.count({ where: { name: { in: ["Too late", "Junk"] } } })).toBe(0);
  });
});
