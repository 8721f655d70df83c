import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { beforeAll, describe, expect, it } from "vitest";
import { database } from "~/db.server";
import { newcombeDifference } from "~/offers/lift-stats";
import { loadDashboard } from "~/services/dashboard.server";
import { flowLifts } from "~/services/holdout-lift.server";
import { installShop, TEST_SHOP } from "../support/shopify";

// Issue #17, item 2: every flow with a control group gets its lift, and ROI is incremental
// revenue over the cost of those same flows. The shop below is built so each figure can be
// worked out by hand (the expected values are written out in each test, not read back).
const OTHER_SHOP = "other-lift-shop.myshopify.com";
const DUE = new Date("2026-11-05T15:00:00Z");
const DAY = 86_400_000;
const at = (days: number) => new Date(DUE.getTime() + days * DAY);
const PERIOD = { from: "2026-11-01", to: "2026-11-14" };
const RANGE = { from: new Date("2026-11-01T04:00:00Z"), to: new Date("2026-11-15T05:00:00Z") }; // Toronto days
let prisma: PrismaClient;
let n = 0;

async function shoppers(shop: string, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  await prisma.shopper.createMany({ data: ids.map((id) => ({ id, shop, phone: `+1416555${String(++n).padStart(4, "0")}`, consent: "granted" })) });
  return ids;
}

/** A first text of a flow: sent (texted) or skipped for the control group. */
function firstText(shop: string, shopperId: string, flow: string, texted: boolean, extra: { checkoutToken?: string; segments?: number } = {}) {
  return {
    shop,
    shopperId,
    dedupeKey: `${flow}:${++n}`,
    flow,
    step: 1,
    dueAt: DUE,
    checkoutToken: extra.checkoutToken ?? null,
    ...(texted ? { status: "sent", sentAt: DUE, segments: extra.segments ?? 1 } : { status: "skipped", reason: "holdout" }),
  };
}

const order = (shop: string, shopperId: string, total: string, placedAt: Date, checkoutToken: string | null = null) => ({
  shop,
  shopifyOrderId: `o${++n}`,
  shopperId,
  checkoutToken,
  totalPrice: total,
  currency: "CAD",
  placedAt,
});

beforeAll(async () => {
  prisma = await installShop();
  await installShop(OTHER_SHOP);
  await prisma.shop.update({
    where: { domain: TEST_SHOP },
    data: { settings: { journey: { holdoutPercent: { welcome: 20, cart_recovery: 10, post_purchase: 0, win_back: 5 } }, sending: { segmentPrice: 0.01 } } },
  });

  // Cart recovery: 40 texted checkouts, the first 20 completed within 7 days (an order of 50
  // each), the 21st completed only after 8 days; 40 held out, the first 10 completed.
  const cartTexted = await shoppers(TEST_SHOP, 40);
  const cartHeld = await shoppers(TEST_SHOP, 40);
  const checkouts = [...cartTexted.map((id, i) => ({ id, i, texted: true })), ...cartHeld.map((id, i) => ({ id, i, texted: false }))];
  for (const c of checkouts) {
    const token = `${c.texted ? "t" : "c"}${c.i}`;
    const completedAt = c.texted ? (c.i < 20 ? at(1) : c.i === 20 ? at(8) : null) : c.i < 10 ? at(2) : null;
    await prisma.checkout.create({ data: { shop: TEST_SHOP, token, shopperId: c.id, startedAt: at(-0.1), lastActivityAt: at(-0.1), completedAt } });
    if (completedAt) await prisma.order.create({ data: order(TEST_SHOP, c.id, "50.00", completedAt, token) });
    await prisma.scheduledMessage.create({ data: firstText(TEST_SHOP, c.id, "cart_recovery", c.texted, { checkoutToken: token }) });
  }
  // Ten second cart texts of 2 segments: cost of the flow, not shoppers of the lift.
  await prisma.scheduledMessage.createMany({
    data: cartTexted.slice(0, 10).map((id, i) => ({ ...firstText(TEST_SHOP, id, "cart_recovery", true, { checkoutToken: `t${i}`, segments: 2 }), step: 2 })),
  });

  // Welcome: 40 texted, the first 16 ordered 30 within 7 days (shopper 0 twice more: 20 in
  // the window, 70 on day 9), shopper 16 only before the text and 17 only after 8 days;
  // 35 held out, the first 7 ordered.
  const welcomeTexted = await shoppers(TEST_SHOP, 40);
  const welcomeHeld = await shoppers(TEST_SHOP, 35);
  await prisma.scheduledMessage.createMany({
    data: [...welcomeTexted.map((id) => firstText(TEST_SHOP, id, "welcome", true)), ...welcomeHeld.map((id) => firstText(TEST_SHOP, id, "welcome", false))],
  });
  await prisma.order.createMany({
    data: [
      ...welcomeTexted.slice(0, 16).map((id) => order(TEST_SHOP, id, "30.00", at(3))),
      order(TEST_SHOP, welcomeTexted[0]!, "20.00", at(6)),
      order(TEST_SHOP, welcomeTexted[0]!, "70.00", at(9)),
      order(TEST_SHOP, welcomeTexted[16]!, "45.00", at(-1)),
      order(TEST_SHOP, welcomeTexted[17]!, "45.00", at(8)),
      ...welcomeHeld.slice(0, 7).map((id) => order(TEST_SHOP, id, "30.00", at(4))),
    ],
  });

  // Post-purchase: no control group; 10 texts of 3 segments each, whose cost ROI must leave out.
  const thanked = await shoppers(TEST_SHOP, 10);
  await prisma.scheduledMessage.createMany({ data: thanked.map((id) => firstText(TEST_SHOP, id, "post_purchase", true, { segments: 3 })) });

  // Win-back: 5% held out, too few shoppers so far (3 texted, 1 held out).
  const lapsed = await shoppers(TEST_SHOP, 4);
  await prisma.scheduledMessage.createMany({ data: lapsed.map((id, i) => firstText(TEST_SHOP, id, "win_back", i < 3)) });

  // Another shop's texted welcome shoppers who all bought: none of it may count here.
  const elsewhere = await shoppers(OTHER_SHOP, 40);
  await prisma.scheduledMessage.createMany({ data: elsewhere.map((id) => firstText(OTHER_SHOP, id, "welcome", true)) });
  await prisma.order.createMany({ data: elsewhere.map((id) => order(OTHER_SHOP, id, "500.00", at(1))) });
}, 120_000);

describe("lift for every flow with a control group", () => {
  it("measures cart recovery by completed checkouts and the other flows by the shopper's orders within the flow's days", async () => {
    const { sql } = await database();
    const lifts = await flowLifts(sql, TEST_SHOP, RANGE);

    // Cart: 20/40 = 50% vs 10/40 = 25%; 25 points × 40 texted × 50 average = 500.
    expect(lifts.cart_recovery).toMatchObject({
      status: "ok",
      treated: { shoppers: 40, converted: 20, rate: 0.5 },
      control: { shoppers: 40, converted: 10, rate: 0.25 },
      incrementalRevenue: 500,
      currency: "CAD",
    });
    // Welcome: 16/40 = 40% vs 7/35 = 20%; the converted texted spent 16 × 30 + 20 = 500 in the
    // window (31.25 each), so 20 points × 40 × 31.25 = 250.
    expect(lifts.welcome).toMatchObject({
      status: "ok",
      treated: { shoppers: 40, converted: 16, rate: 0.4 },
      control: { shoppers: 35, converted: 7, rate: 0.2 },
      incrementalRevenue: 250,
    });
    for (const [flow, x1, n1, x2, n2, average] of [
      ["cart_recovery", 20, 40, 10, 40, 50],
      ["welcome", 16, 40, 7, 35, 31.25],
    ] as const) {
      const lift = lifts[flow];
      if (lift.status !== "ok") throw new Error(`${flow}: ${lift.status}`);
      const expected = newcombeDifference(x1, n1, x2, n2);
      expect(lift.lift.difference).toBeCloseTo(x1 / n1 - x2 / n2, 12);
      expect(lift.lift.lower).toBeCloseTo(expected.lower, 12);
      expect(lift.lift.upper).toBeCloseTo(expected.upper, 12);
      expect(lift.lift.lower).toBeLessThan(lift.lift.difference);
      expect(lift.lift.upper).toBeGreaterThan(lift.lift.difference);
      expect(lift.incrementalRevenueInterval.lower).toBeCloseTo(expected.lower * n1 * average, 2);
      expect(lift.incrementalRevenueInterval.upper).toBeCloseTo(expected.upper * n1 * average, 2);
    }
    expect(lifts.win_back).toEqual({
      status: "insufficient_data",
      treated: { shoppers: 3, converted: 0, rate: 0 },
      control: { shoppers: 1, converted: 0, rate: 0 },
      needPerGroup: 30,
    });
    expect(lifts.post_purchase).toMatchObject({ status: "insufficient_data", treated: { shoppers: 10 }, control: { shoppers: 0 } });
  });

  it("counts nothing for a period with no first texts due", async () => {
    const { sql } = await database();
    const lifts = await flowLifts(sql, TEST_SHOP, { from: at(-30), to: at(-20) });
    for (const lift of Object.values(lifts)) expect(lift).toMatchObject({ status: "insufficient_data", treated: { shoppers: 0 }, control: { shoppers: 0 } });
  });
});

describe("the dashboard's honest figures", () => {
  it("lists each flow with a control group and divides incremental revenue by those flows' cost", async () => {
    const { prisma: db, sql } = await database();
    const dashboard = await loadDashboard({ prisma: db, sql, twilioFromEnv: true, encryptionKey: null }, TEST_SHOP, PERIOD, new Date("2026-11-30T12:00:00Z"));

    // Post-purchase holds no one out, so it has no lift to show.
    expect(dashboard.liftByFlow.map((f) => [f.flow, f.holdoutPercent, f.lift.status])).toEqual([
      ["welcome", 20, "ok"],
      // On by default with a 10 % control group, and no data yet; browse abandonment is off.
      ["cart_abandonment", 10, "insufficient_data"],
      ["cart_recovery", 10, "ok"],
      ["win_back", 5, "insufficient_data"],
    ]);
    // 500 + 250 incremental over the cart texts (40 + 10 × 2 segments) and the welcome texts
    // (40): 100 segments at 0.01 = 1.00, so 750×. Post-purchase's 30 segments and win-back's 3
    // (no measured lift) are in the shop's cost, not in the ROI's.
    expect(dashboard.roi).toEqual({ flows: ["welcome", "cart_recovery"], incrementalRevenue: 750, cost: 1, roi: 750 });
    expect(dashboard.metrics.estimatedCost).toBeCloseTo(1.33, 10);
  });
});
