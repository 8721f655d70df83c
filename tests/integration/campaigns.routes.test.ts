import type { PrismaClient } from "@prisma/client";
import { beforeAll, describe, expect, it } from "vitest";
import { fixedClock, setClock } from "~/clock.server";
import { action as rfmAction } from "~/routes/app.campaigns._index";
import { action as changeAction, loader as resultsLoader } from "~/routes/app.campaigns.$id";
import { action as composerAction } from "~/routes/app.campaigns.new";
import { loader as reachLoader } from "~/routes/app.campaigns.reach";
import { adminRequest } from "../support/admin-request";
import { installShop, TEST_SHOP } from "../support/shopify";

// The campaign routes through signed admin requests: bad input is a clear 4xx with nothing
// stored and nothing enqueued, and a shop sees only its own campaigns.
const OTHER_SHOP = "other-campaign-routes.myshopify.com";
let prisma: PrismaClient;
const valid = { name: "Flash sale", message: "Sale today: {{checkout_link}}", audience: { kind: "subscribers" } };

async function compose(campaign: unknown, shop = TEST_SHOP, raw?: string, intent = "send") {
  const request = await adminRequest("/app/campaigns/new", { shop, form: { campaign: raw ?? JSON.stringify(campaign), intent } });
  return composerAction({ request, params: {}, context: {} }).catch((thrown: unknown) => thrown) as Promise<Response>;
}

beforeAll(async () => {
  setClock(fixedClock(new Date("2026-11-24T15:00:00Z")));
  prisma = await installShop();
  await installShop(OTHER_SHOP);
  await prisma.shopper.create({ data: { shop: TEST_SHOP, phone: "+16465557001", consent: "granted" } });
  await prisma.shopper.create({ data: { shop: OTHER_SHOP, phone: "+16465557002", consent: "granted" } });
});

describe("the campaign routes", () => {
  it("refuses a form it can't read, or a message with an unknown token, storing and enqueuing nothing", async () => {
    expect((await compose(null, TEST_SHOP, "{not json")).status).toBe(400);
    expect((await compose({ ...valid, audience: { kind: "everyone" } })).status).toBe(400);
    const unknown = await compose({ ...valid, message: "Hi {{nickname}}" });
    expect(unknown.status).toBe(422);
    expect(await unknown.json()).toMatchObject({ ok: false, errors: { message: "Unknown token {{nickname}}" } });
    expect((await compose({ ...valid, message: "{{discount_code}} inside" })).status).toBe(422);
    const past = await compose({ ...valid, sendAt: "2026-11-24T14:00:00Z" }, TEST_SHOP, undefined, "schedule");
    expect(past.status).toBe(422);
    expect(await past.json()).toMatchObject({ errors: { sendAt: "Choose a time in the future" } });
    expect(await prisma.campaign.count()).toBe(0);
    expect(await prisma.scheduledMessage.count()).toBe(0);
  });

  it("sends a valid campaign now and shows its results to its own shop only", async () => {
    const sent = await compose(valid);
    expect(sent.status).toBe(302);
    const [campaign] = await prisma.campaign.findMany();
    expect(sent.headers.get("location")).toContain(`/app/campaigns/${campaign!.id}`);
    expect(await prisma.scheduledMessage.count({ where: { campaignId: campaign!.id } })).toBe(1);
    const own = await resultsLoader({ request: await adminRequest(`/app/campaigns/${campaign!.id}`), params: { id: campaign!.id }, context: {} });
    expect((own as { results: { recipients: number } }).results.recipients).toBe(1);
    const other = await resultsLoader({ request: await adminRequest(`/app/campaigns/${campaign!.id}`, { shop: OTHER_SHOP }), params: { id: campaign!.id }, context: {} }).catch((r: Response) => r);
    expect((other as Response).status).toBe(404);
    const junk = await resultsLoader({ request: await adminRequest("/app/campaigns/x"), params: { id: "x" }, context: {} }).catch((r: Response) => r);
    expect((junk as Response).status).toBe(404);
  });

  it("schedules a campaign without enqueuing anything, and cancels it; a sent one can't be paused (409)", async () => {
    const scheduled = await compose({ ...valid, name: "Later", sendAt: "2026-11-25T15:00:00Z" }, TEST_SHOP, undefined, "schedule");
    expect(scheduled.status).toBe(302);
    const later = await prisma.campaign.findFirstOrThrow({ where: { name: "Later" } });
    expect(later).toMatchObject({ status: "scheduled", sendAt: new Date("2026-11-25T15:00:00Z") });
    expect(await prisma.scheduledMessage.count({ where: { campaignId: later.id } })).toBe(0);
    const change = async (id: string, to: string, shop = TEST_SHOP) =>
      changeAction({ request: await adminRequest(`/app/campaigns/${id}`, { shop, form: { change: to } }), params: { id }, context: {} });
    expect((await change(later.id, "cancel", OTHER_SHOP)).status).toBe(409);
    expect((await change(later.id, "explode")).status).toBe(400);
    expect((await change(later.id, "cancel")).status).toBe(200);
    expect((await prisma.campaign.findUniqueOrThrow({ where: { id: later.id } })).status).toBe("cancelled");
  });

  it("answers the composer's reach for its shop, and 400 for an unknown audience", async () => {
    const reach = await reachLoader({ request: await adminRequest("/app/campaigns/reach?audience=subscribers&smart=0"), params: {}, context: {} });
    expect(await reach.json()).toEqual({ reach: { sendable: 1, optedOut: 0, noConsent: 0, noPhone: 0, recentlyTexted: 0 } });
    const bad = await reachLoader({ request: await adminRequest("/app/campaigns/reach?audience=rfm:vip"), params: {}, context: {} });
    expect(bad.status).toBe(400);
  });

  it("saves the RFM thresholds, and refuses overlapping bands with the field to fix", async () => {
    const save = async (rfm: unknown) => rfmAction({ request: await adminRequest("/app/campaigns", { form: { rfm: JSON.stringify(rfm) } }), params: {}, context: {} });
    const bad = await save({ newWithinDays: 30, activeWithinDays: 90, lapsedAfterDays: 60, loyalMinOrders: 3 });
    expect(bad.status).toBe(422);
    expect((await bad.json()).errors).toHaveProperty("lapsedAfterDays");
    expect((await save({ newWithinDays: 14, activeWithinDays: 60, lapsedAfterDays: 120, loyalMinOrders: 4 })).status).toBe(200);
    const shop = await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    expect((shop.settings as { campaigns: { rfm: unknown } }).campaigns.rfm).toEqual({ newWithinDays: 14, activeWithinDays: 60, lapsedAfterDays: 120, loyalMinOrders: 4 });
  });
});
