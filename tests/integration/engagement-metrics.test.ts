import type { PrismaClient } from "@prisma/client";
import { beforeAll, describe, expect, it } from "vitest";
import { database } from "~/db.server";
import { engagementMetrics } from "~/services/engagement-metrics.server";
import { installShop, TEST_SHOP } from "../support/shopify";

const TO = new Date("2026-11-24T00:00:00Z");
const FROM = new Date(TO.getTime() - 120 * 86_400_000);
const daysBefore = (d: number) => new Date(TO.getTime() - d * 86_400_000);
let prisma: PrismaClient;

// A small shop whose numbers can be checked by hand (expected values in the test below).
beforeAll(async () => {
  prisma = await installShop();
  const shopper = (phone: string, stage: string, lastOrderDaysAgo: number | null, consent = "granted") =>
    prisma.shopper.create({ data: { shop: TEST_SHOP, phone, stage, consent, lastOrderAt: lastOrderDaysAgo === null ? null : daysBefore(lastOrderDaysAgo) } });
  const a = await shopper("+12125550501", "loyalty", 10);
  const b = await shopper("+12125550502", "conversion", 100);
  const c = await shopper("+12125550503", "consideration", null);
  const d = await shopper("+12125550504", "awareness", null);
  const e = await shopper("+12125550506", "loyalty", 200);
  await prisma.shopper.create({ data: { shop: TEST_SHOP, stage: "awareness", consent: "redacted" } });

  const order = (shopperId: string, id: string, total: string, daysAgo: number) =>
    prisma.order.create({ data: { shop: TEST_SHOP, shopifyOrderId: id, shopperId, totalPrice: total, currency: "USD", placedAt: daysBefore(daysAgo) } });
  await order(a.id, "1", "100.00", 10);
  await order(a.id, "2", "50.00", 40);
  const bOrder = await order(b.id, "3", "30.00", 100);
  await order(b.id, "4", "999.00", 150); // before the period
  // Known only from the order history import (ADR 014), long before the period.
  await prisma.order.create({ data: { shop: TEST_SHOP, shopifyOrderId: "5", shopperId: e.id, totalPrice: "21.00", currency: "USD", placedAt: daysBefore(300), source: "import" } });
  await order(a.id, "6", "500.00", -3); // after the period's end

  const sent = (shopperId: string, key: string, flow: string, segments: number, delivered: boolean) =>
    prisma.scheduledMessage.create({
      data: { shop: TEST_SHOP, shopperId, dedupeKey: key, flow, step: 1, dueAt: daysBefore(101), status: "sent", sentAt: daysBefore(101), segments, deliveryStatus: delivered ? "delivered" : "sent" },
    });
  const m1 = await sent(b.id, "cart:1", "cart_recovery", 1, true);
  await sent(c.id, "cart:2", "cart_recovery", 2, false);
  await sent(d.id, "welcome", "welcome", 1, true);
  await prisma.scheduledMessage.create({ data: { shop: TEST_SHOP, shopperId: c.id, dedupeKey: "cart:3", flow: "cart_recovery", step: 1, dueAt: daysBefore(5), status: "skipped", reason: "holdout" } });
  await prisma.shortLink.create({ data: { id: "AAAAAAAAAA", shop: TEST_SHOP, messageId: m1.id, shopperId: b.id, target: "https://x.test", clicks: 2 } });
  await prisma.attribution.create({
    data: {
      shop: TEST_SHOP,
      orderId: bOrder.id,
      messageId: m1.id,
      shopperId: b.id,
      flow: "cart_recovery",
      rule: "click",
      touchedAt: daysBefore(100),
      recovered: true,
      revenue: "30.00",
      currency: "USD",
    },
  });
  for (const score of [10, 9, 8, 3]) {
    await prisma.journeyEvent.create({ data: { shop: TEST_SHOP, shopperId: a.id, type: "nps", occurredAt: daysBefore(9), data: { score } } });
  }
});

describe("engagement metrics", () => {
  it("computes each figure from the seeded shop", async () => {
    const { sql } = await database();
    const metrics = await engagementMetrics(sql, TEST_SHOP, { from: FROM, to: TO }, 0.0083);
    expect(metrics.byFlowAndStage).toEqual([
      { flow: "cart_recovery", stage: "consideration", sent: 1, delivered: 0, clicked: 0, converted: 0, recoveredRevenue: 0, segments: 2 },
      { flow: "cart_recovery", stage: "conversion", sent: 1, delivered: 1, clicked: 1, converted: 1, recoveredRevenue: 30, segments: 1 },
      { flow: "welcome", stage: "awareness", sent: 1, delivered: 1, clicked: 0, converted: 0, recoveredRevenue: 0, segments: 1 },
    ]);
    // Buyers in the period: A (2 orders) and B (1 order): half repeat.
    expect(metrics.repeatPurchaseRate).toBe(0.5);
    // Lifetime to the period's end, every customer who had ordered by then: A 100 + 50, B 30 +
    // 999 (before the period), E 21 (imported); A's 500 comes after. (150 + 1029 + 21) / 3 = 400.
    expect(metrics.customerLifetimeValue).toBe(400);
    // Scores 10, 9, 8, 3: 2 promoters and 1 detractor of 4 -> (2 - 1) / 4 = +25.
    expect(metrics.nps).toEqual({ score: 25, responses: 4, promoters: 2, detractors: 1 });
    expect(metrics.estimatedCost).toBeCloseTo(4 * 0.0083, 10);
  });

  it("has no rates, no NPS and zero cost for an empty period", async () => {
    const { sql } = await database();
    const metrics = await engagementMetrics(sql, TEST_SHOP, { from: new Date("2020-01-01"), to: new Date("2020-02-01") }, 0.0083);
    expect(metrics).toMatchObject({ byFlowAndStage: [], repeatPurchaseRate: null, customerLifetimeValue: null, nps: { score: null, responses: 0 }, estimatedCost: 0 });
  });
});
