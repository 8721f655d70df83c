import type { PrismaClient } from "@prisma/client";
import { beforeAll, describe, expect, it } from "vitest";
import { CampaignDraftSchema } from "~/campaigns/campaign-draft";
import { sendCampaignNow } from "~/campaigns/campaigns.server";
import { fixedClock, setClock } from "~/clock.server";
import { database } from "~/db.server";
import Dashboard, { loader as dashboardLoader } from "~/routes/app._index";
import { adminRequest } from "../support/admin-request";
import { renderPage } from "../support/render-page";
import { installShop, TEST_SHOP } from "../support/shopify";

// Issue #19, item 4: the period's campaigns on the dashboard, with texts sent, revenue
// attributed and lift, each linking to its results; campaigns outside the period aren't listed.
const T = new Date("2026-11-24T15:00:00Z");
const DAY = 86_400_000;
let prisma: PrismaClient;
let recentId: string;

const draft = (name: string) => CampaignDraftSchema.parse({ name, message: `${name}: shop now {{checkout_link}}`, audience: { kind: "subscribers" }, controlPercent: 0 });

beforeAll(async () => {
  setClock(fixedClock(T));
  prisma = await installShop();
  await prisma.shopper.createMany({ data: [0, 1, 2].map((i) => ({ shop: TEST_SHOP, phone: `+1646555070${i}`, consent: "granted" })) });
  const { sql } = await database();
  // One campaign 60 days ago (outside the default 30-day period), one two days ago.
  await sendCampaignNow(sql, TEST_SHOP, draft("Autumn sale"), new Date(T.getTime() - 60 * DAY));
  recentId = (await sendCampaignNow(sql, TEST_SHOP, draft("Black Friday"), new Date(T.getTime() - 2 * DAY))).id;
  // Its texts went out, and one brought an order credited to it.
  const sentAt = new Date(T.getTime() - 2 * DAY);
  await prisma.scheduledMessage.updateMany({ where: { campaignId: recentId }, data: { status: "sent", sentAt } });
  const [text] = await prisma.scheduledMessage.findMany({ where: { campaignId: recentId } });
  const order = await prisma.order.create({
    data: { shop: TEST_SHOP, shopifyOrderId: "90001", shopperId: text!.shopperId, totalPrice: "84.50", currency: "CAD", placedAt: new Date(sentAt.getTime() + 3_600_000) },
  });
  await prisma.attribution.create({
    data: {
      shop: TEST_SHOP,
      orderId: order.id,
      messageId: text!.id,
      shopperId: text!.shopperId,
      flow: "campaign",
      rule: "link_click",
      touchedAt: sentAt,
      recovered: false,
      revenue: "84.50",
      currency: "CAD",
    },
  });
});

describe("campaigns on the dashboard", () => {
  it("lists the period's campaigns with texts sent, revenue and lift, linking to each", async () => {
    const data = (await dashboardLoader({ request: await adminRequest("/app"), params: {}, context: {} })) as {
      campaigns: { id: string; name: string; sent: number; revenue: number; lift: unknown }[];
    };
    expect(data.campaigns).toEqual([expect.objectContaining({ id: recentId, name: "Black Friday", sent: 3, revenue: 84.5, lift: null })]);

    const html = renderPage(Dashboard, "/app", JSON.parse(JSON.stringify(data)));
    expect(html).toContain(`href="/app/campaigns/${recentId}"`);
    expect(html).toMatch(/Black Friday/);
    expect(html).toMatch(/\$84\.50/);
    expect(html).not.toMatch(/Autumn sale/);
  });

  it("shows the older campaign when the period covers it", async () => {
    const data = (await dashboardLoader({ request: await adminRequest("/app?from=2026-09-01&to=2026-11-24"), params: {}, context: {} })) as { campaigns: { name: string }[] };
    expect(data.campaigns.map((c) => c.name)).toEqual(["Black Friday", "Autumn sale"]);
  });
});
