import type { PrismaClient } from "@prisma/client";
import { beforeAll, describe, expect, it } from "vitest";
import type { Audience } from "~/campaigns/audience";
import { sendCampaignNow } from "~/campaigns/campaigns.server";
import { CampaignDraftSchema } from "~/campaigns/campaign-draft";
import { audienceReach } from "~/campaigns/reach.server";
import { saveRfmThresholds } from "~/campaigns/rfm-settings.server";
import { database } from "~/db.server";
import { installShop, TEST_SHOP } from "../support/shopify";

// Nudge's own audiences (issue #19, item 1), computed in SQL from the shop's shoppers, orders and
// link clicks: who each one names, and that consent still decides who is sendable.
const T = new Date("2026-11-24T15:00:00Z");
const DAY = 86_400_000;
const OTHER_SHOP = "other-campaigns.myshopify.com";
let prisma: PrismaClient;
const ids: Record<string, string> = {};

/** A shopper with orders placed `daysAgo` (one per entry), written straight to the tables. */
async function shopper(name: string, options: { orders?: number[]; consent?: string; stage?: string; clickedDaysAgo?: number; shop?: string }) {
  const shop = options.shop ?? TEST_SHOP;
  const row = await prisma.shopper.create({
    data: { shop, phone: `+1646555${String(6000 + Object.keys(ids).length)}`, consent: options.consent ?? "granted", stage: options.stage ?? "awareness", firstName: name },
  });
  ids[name] = row.id;
  for (const [i, days] of (options.orders ?? []).entries()) {
    await prisma.order.create({
      data: { shop, shopifyOrderId: `${name}-${i}`, shopperId: row.id, totalPrice: "20.00", currency: "USD", placedAt: new Date(T.getTime() - days * DAY) },
    });
  }
  if (options.clickedDaysAgo !== undefined) {
    const message = await prisma.scheduledMessage.create({ data: { shop, shopperId: row.id, dedupeKey: "welcome", flow: "welcome", step: 1, dueAt: T, status: "sent" } });
    const at = new Date(T.getTime() - options.clickedDaysAgo * DAY);
    await prisma.shortLink.create({
      data: { id: `L${name}`.padEnd(10, "x"), shop, messageId: message.id, shopperId: row.id, target: "https://x.test", clicks: 1, firstClickedAt: at, lastClickedAt: at },
    });
  }
}

async function reach(audience: Audience) {
  const { sql } = await database();
  return sql.transaction((tx) => audienceReach(tx, TEST_SHOP, audience, T, 0));
}

/** The shoppers a campaign to the audience enqueues, by name. */
async function recipients(audience: Audience): Promise<string[]> {
  const { sql } = await database();
  const draft = CampaignDraftSchema.parse({ name: "t", message: "Hi", audience, controlPercent: 0 });
  const { id } = await sendCampaignNow(sql, TEST_SHOP, draft, T);
  const rows = await prisma.scheduledMessage.findMany({ where: { campaignId: id }, select: { shopperId: true } });
  const names = Object.fromEntries(Object.entries(ids).map(([name, id]) => [id, name]));
  return rows.map((r) => names[r.shopperId]!).sort();
}

beforeAll(async () => {
  prisma = await installShop();
  await installShop(OTHER_SHOP);
  await shopper("newbie", { orders: [10], stage: "loyalty" });
  await shopper("active", { orders: [60, 70], stage: "loyalty" });
  await shopper("loyal", { orders: [20, 100, 200], stage: "loyalty" });
  await shopper("atrisk", { orders: [120, 150] });
  await shopper("lapsed", { orders: [400] });
  await shopper("clicker", { clickedDaysAgo: 5, stage: "consideration" });
  await shopper("unconsented", { orders: [10], consent: "none" });
  await shopper("stopped", { orders: [20, 30, 40], consent: "revoked", stage: "loyalty" });
  await shopper("erased", { orders: [10], consent: "redacted" });
  // Another shop's loyal customer is in none of this shop's audiences.
  await shopper("elsewhere", { orders: [5, 6, 7], shop: OTHER_SHOP, stage: "loyalty" });
}, 60_000);

describe("Nudge's own audiences", () => {
  it("puts each customer with orders in exactly one RFM segment", async () => {
    expect(await recipients({ kind: "rfm", segment: "new" })).toEqual(["newbie"]);
    expect(await recipients({ kind: "rfm", segment: "active" })).toEqual(["active"]);
    expect(await recipients({ kind: "rfm", segment: "loyal" })).toEqual(["loyal"]);
    expect(await recipients({ kind: "rfm", segment: "at_risk" })).toEqual(["atrisk"]);
    expect(await recipients({ kind: "rfm", segment: "lapsed" })).toEqual(["lapsed"]);
  });

  it("leaves out who has no consent or opted out, and says so", async () => {
    expect(await reach({ kind: "rfm", segment: "new" })).toMatchObject({ sendable: 1, noConsent: 1, optedOut: 0 });
    expect(await reach({ kind: "rfm", segment: "loyal" })).toMatchObject({ sendable: 1, noConsent: 0, optedOut: 1 });
  });

  it("follows the merchant's thresholds", async () => {
    const { sql } = await database();
    expect(await saveRfmThresholds(sql, TEST_SHOP, { newWithinDays: 5, activeWithinDays: 90, lapsedAfterDays: 365, loyalMinOrders: 2 })).toMatchObject({ ok: true });
    expect(await recipients({ kind: "rfm", segment: "new" })).toEqual([]);
    expect(await recipients({ kind: "rfm", segment: "active" })).toEqual(["newbie"]);
    expect(await recipients({ kind: "rfm", segment: "loyal" })).toEqual(["active", "loyal"]);
    expect(await recipients({ kind: "rfm", segment: "at_risk" })).toEqual(["atrisk"]);
    expect(await recipients({ kind: "rfm", segment: "lapsed" })).toEqual(["lapsed"]);
    // Overlapping bands are refused and change nothing.
    expect(await saveRfmThresholds(sql, TEST_SHOP, { newWithinDays: 5, activeWithinDays: 90, lapsedAfterDays: 60, loyalMinOrders: 2 })).toMatchObject({ ok: false });
    expect(await recipients({ kind: "rfm", segment: "lapsed" })).toEqual(["lapsed"]);
  });

  it("finds shoppers engaged in the last N days: clicked a text or ordered", async () => {
    expect(await recipients({ kind: "engaged", days: 30 })).toEqual(["clicker", "loyal", "newbie"]);
    expect(await recipients({ kind: "engaged", days: 3 })).toEqual([]);
  });

  it("finds a journey stage, and all SMS subscribers", async () => {
    expect(await recipients({ kind: "stage", stage: "loyalty" })).toEqual(["active", "loyal", "newbie"]);
    expect(await reach({ kind: "stage", stage: "loyalty" })).toMatchObject({ sendable: 3, optedOut: 1 });
    expect(await recipients({ kind: "subscribers" })).toEqual(["active", "atrisk", "clicker", "lapsed", "loyal", "newbie"]);
  });
});
