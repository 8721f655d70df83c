import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clock as appClock, fixedClock, setClock } from "~/clock.server";
import { database } from "~/db.server";
import { dispatchDueMessages } from "~/dispatch/dispatch.server";
import { variantFor } from "~/offers/ab-test";
import { followLink } from "~/services/link-clicks.server";
import { variantReport } from "~/services/variant-report.server";
import { ingestWebhook } from "~/webhooks/ingest.server";
import { startFakeTwilio, type FakeTwilio } from "../mocks/twilio";
import { testGateway } from "../support/dispatch";
import { checkoutPayload, installShop, orderPayload, TEST_SHOP } from "../support/shopify";

const T = new Date("2026-11-24T15:00:00Z"); // 10:00 in New York
const SHOPPERS = 160;
const clock = fixedClock(T);
let prisma: PrismaClient;
let fake: FakeTwilio;

beforeAll(async () => {
  setClock(clock);
  prisma = await installShop(TEST_SHOP, { name: "Snow Devil" });
  await prisma.shop.update({
    where: { domain: TEST_SHOP },
    data: {
      settings: {
        journey: { holdoutPercent: { cart_recovery: 0 } },
        sending: { variants: { cart_recovery: ["Snow Devil A: {{first_name}}, your cart: {{checkout_link}}", "Snow Devil B: still thinking, {{first_name}}? {{checkout_link}}"] } },
      },
    },
  });
  fake = await startFakeTwilio();
  const { sql } = await database();
  for (let i = 0; i < SHOPPERS; i++) {
    const payload = checkoutPayload({ token: `ab${i}`, createdAt: T, phone: `+1646777${1000 + i}` });
    payload.customer = null;
    await ingestWebhook(sql, { shop: TEST_SHOP, topic: "CHECKOUTS_CREATE", webhookId: randomUUID(), payload, now: T });
  }
  clock.set(new Date(T.getTime() + 20 * 60_000));
  const gateway = testGateway(fake);
  for (let i = 0; i < 3; i++) {
    await dispatchDueMessages({ sql, gatewayFor: () => gateway, workerId: "w", now: () => appClock.now(), statusCallbackUrl: null, linkBase: "https://nudge.test" });
  }
}, 120_000);
afterAll(() => fake.close());

describe("A/B template variants", () => {
  it("sends each shopper their stable variant, about half each, and records which", async () => {
    const messages = await prisma.scheduledMessage.findMany({ where: { shop: TEST_SHOP, flow: "cart_recovery", status: "sent" } });
    expect(messages).toHaveLength(SHOPPERS);
    for (const m of messages) {
      expect(m.variant).toBe(variantFor(m.shopperId, "cart_recovery", 2));
      expect(m.body!.startsWith(m.variant === 0 ? "Snow Devil A:" : "Snow Devil B:")).toBe(true);
    }
    const share = messages.filter((m) => m.variant === 0).length / SHOPPERS;
    expect(share).toBeGreaterThan(0.35);
    expect(share).toBeLessThan(0.65);
  });

  it("reports conversion per variant and which one is probably best", async () => {
    const { sql } = await database();
    const messages = await prisma.scheduledMessage.findMany({ where: { shop: TEST_SHOP, flow: "cart_recovery", status: "sent" }, orderBy: { id: "asc" } });
    // Variant A converts every 2nd shopper, B every 10th: each buyer clicks, then orders.
    const byVariant = [messages.filter((m) => m.variant === 0), messages.filter((m) => m.variant === 1)];
    const buyers = [...byVariant[0]!.filter((_, i) => i % 2 === 0), ...byVariant[1]!.filter((_, i) => i % 10 === 0)];
    for (const [i, m] of buyers.entries()) {
      const link = await prisma.shortLink.findFirstOrThrow({ where: { messageId: m.id } });
      await followLink(sql, link.id, { at: new Date(T.getTime() + 3_600_000), counted: true });
      const when = new Date(T.getTime() + 2 * 3_600_000);
      const payload = orderPayload({ id: String(70_000 + i), checkoutToken: m.checkoutToken, createdAt: when });
      payload.total_price_set = { shop_money: { amount: "80.00", currency_code: "USD" }, presentment_money: { amount: "80.00", currency_code: "USD" } };
      await ingestWebhook(sql, { shop: TEST_SHOP, topic: "ORDERS_CREATE", webhookId: randomUUID(), payload, now: when });
    }

    const report = await variantReport(sql, TEST_SHOP, "cart_recovery", { from: T, to: new Date(T.getTime() + 86_400_000) });
    const expected = byVariant.map((group, v) => ({ sent: group.length, converted: Math.ceil(group.length / (v === 0 ? 2 : 10)) }));
    expect(report.map((r) => ({ sent: r.sent, converted: r.converted }))).toEqual(expected);
    expect(report[0]!.revenue).toBe(expected[0]!.converted * 80);
    expect(report[0]!.conversionRate).toBeCloseTo(expected[0]!.converted / expected[0]!.sent, 10);
    expect(report[0]!.probabilityBest).toBeGreaterThan(0.99);
    expect(report[0]!.probabilityBest + report[1]!.probabilityBest).toBeCloseTo(1, 10);
  });
});
