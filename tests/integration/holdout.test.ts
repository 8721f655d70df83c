import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock, setClock } from "~/clock.server";
import { database } from "~/db.server";
import { inHoldout } from "~/offers/holdout";
import { newcombeDifference } from "~/offers/lift-stats";
import { cartRecoveryLift } from "~/services/holdout-lift.server";
import { ingestWebhook } from "~/webhooks/ingest.server";
import { startFakeTwilio, type FakeTwilio } from "../mocks/twilio";
import { dispatchOnce } from "../support/dispatch";
import { checkoutPayload, installShop, orderPayload, TEST_SHOP } from "../support/shopify";

const T = new Date("2026-11-24T15:00:00Z"); // 10:00 in New York
const SHOPPERS = 500;
const clock = fixedClock(T);
let prisma: PrismaClient;
let fake: FakeTwilio;
const phones = Array.from({ length: SHOPPERS }, (_, i) => `+1646555${String(1000 + i)}`);

beforeAll(async () => {
  setClock(clock);
  prisma = await installShop();
  await prisma.shop.update({ where: { domain: TEST_SHOP }, data: { settings: { journey: { holdoutPercent: { cart_recovery: 10 } } } } });
  fake = await startFakeTwilio();
  const { sql } = await database();
  for (const [i, phone] of phones.entries()) {
    const payload = checkoutPayload({ token: `h${i}`, createdAt: T, phone });
    payload.customer = null;
    await ingestWebhook(sql, { shop: TEST_SHOP, topic: "CHECKOUTS_CREATE", webhookId: randomUUID(), payload, now: T });
  }
  clock.set(new Date(T.getTime() + 20 * 60_000));
  for (let i = 0; i < 6; i++) await dispatchOnce(fake);
}, 120_000);
afterAll(() => fake.close());

describe("the cart-recovery control group", () => {
  it("holds out about 10% of eligible shoppers, exactly the ones the hash picks, and texts none of them", async () => {
    const shoppers = await prisma.shopper.findMany({ where: { shop: TEST_SHOP, phone: { in: phones } }, select: { id: true, phone: true } });
    expect(shoppers).toHaveLength(SHOPPERS);
    const held = await prisma.scheduledMessage.findMany({ where: { shop: TEST_SHOP, status: "skipped", reason: "holdout" }, select: { shopperId: true } });
    expect(held.length).toBeGreaterThan(SHOPPERS * 0.05);
    expect(held.length).toBeLessThan(SHOPPERS * 0.17);
    const heldIds = new Set(held.map((m) => m.shopperId));
    const texted = new Set(fake.messages.map((m) => m.to));
    for (const shopper of shoppers) {
      expect(heldIds.has(shopper.id)).toBe(inHoldout(shopper.id, "cart_recovery", 10));
      expect(texted.has(shopper.phone!)).toBe(!heldIds.has(shopper.id));
    }
  });

  it("keeps each shopper in the same group every time it is asked", () => {
    const id = randomUUID();
    const first = inHoldout(id, "cart_recovery", 10);
    for (let i = 0; i < 20; i++) expect(inHoldout(id, "cart_recovery", 10)).toBe(first);
    expect(inHoldout(id, "cart_recovery", 0)).toBe(false);
  });

  it("reports the lift of texted over held-out shoppers with its Newcombe interval", async () => {
    const { sql } = await database();
    const messages = await prisma.scheduledMessage.findMany({ where: { shop: TEST_SHOP, flow: "cart_recovery" }, orderBy: { checkoutToken: "asc" } });
    const heldOut = messages.filter((m) => m.reason === "holdout");
    const texted = messages.filter((m) => m.status === "sent");
    // Every 2nd texted shopper buys, every 4th held-out one does: 50% vs 25%.
    const buyers = [...texted.filter((_, i) => i % 2 === 0), ...heldOut.filter((_, i) => i % 4 === 0)];
    for (const [i, m] of buyers.entries()) {
      const when = new Date(T.getTime() + 3_600_000);
      const payload = orderPayload({ id: String(90_000 + i), checkoutToken: m.checkoutToken, createdAt: when });
      payload.total_price_set = { shop_money: { amount: "50.00", currency_code: "USD" }, presentment_money: { amount: "50.00", currency_code: "USD" } };
      await ingestWebhook(sql, { shop: TEST_SHOP, topic: "ORDERS_CREATE", webhookId: randomUUID(), payload, now: when });
    }
    const tx = Math.ceil(texted.length / 2);
    const cx = Math.ceil(heldOut.length / 4);

    const lift = await cartRecoveryLift(sql, TEST_SHOP, { from: T, to: new Date(T.getTime() + 86_400_000) });
    expect(lift.status).toBe("ok");
    if (lift.status !== "ok") return;
    expect(lift.treated).toEqual({ shoppers: texted.length, converted: tx, rate: tx / texted.length });
    expect(lift.control).toEqual({ shoppers: heldOut.length, converted: cx, rate: cx / heldOut.length });
    const expected = newcombeDifference(tx, texted.length, cx, heldOut.length);
    expect(lift.lift.difference).toBeCloseTo(expected.difference, 10);
    expect(lift.lift.lower).toBeCloseTo(expected.lower, 10);
    expect(lift.lift.upper).toBeCloseTo(expected.upper, 10);
    expect(lift.incrementalRevenue).toBeCloseTo(expected.difference * texted.length * 50, 2);
    expect(lift.currency).toBe("USD");
  });

  it("says there is not enough data yet for a period with few shoppers", async () => {
    const { sql } = await database();
    const lift = await cartRecoveryLift(sql, TEST_SHOP, { from: new Date(T.getTime() - 86_400_000), to: T });
    expect(lift).toMatchObject({ status: "insufficient_data", treated: { shoppers: 0 }, control: { shoppers: 0 } });
  });
});
