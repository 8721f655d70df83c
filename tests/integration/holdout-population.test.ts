import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock, setClock } from "~/clock.server";
import { database } from "~/db.server";
import { inHoldout } from "~/offers/holdout";
import { cartRecoveryLift } from "~/services/holdout-lift.server";
import { ingestWebhook } from "~/webhooks/ingest.server";
import { startFakeTwilio, type FakeTwilio } from "../mocks/twilio";
import { dispatchOnce, seedDueWelcomes } from "../support/dispatch";
import { checkoutPayload, installShop, TEST_SHOP } from "../support/shopify";

// Promise (issue #12, item 1, docs/decisions/005): the control group is drawn from the same
// population as the texted group. A shopper whose cart text the frequency cap stops is in
// neither group, whatever the hash says.
const T = new Date("2026-11-24T15:00:00Z"); // 10:00 in New York
const SHOPPERS = 80;
const clock = fixedClock(T);
let prisma: PrismaClient;
let fake: FakeTwilio;
let shoppers: { id: string; phone: string }[];

beforeAll(async () => {
  setClock(clock);
  prisma = await installShop();
  // Half of cart recovery held out, so an unlike control group could not hide in the noise.
  await prisma.shop.update({ where: { domain: TEST_SHOP }, data: { settings: { journey: { holdoutPercent: { cart_recovery: 50 } } } } });
  fake = await startFakeTwilio();
  // Each shopper gets a welcome text now, then abandons a cart: its text, due 20 minutes
  // later, breaks the 1-per-8-hours cap.
  shoppers = await seedDueWelcomes(prisma, T, SHOPPERS, "717");
  await dispatchOnce(fake);
  const { sql } = await database();
  const abandonedAt = new Date(T.getTime() + 60_000);
  for (const [i, shopper] of shoppers.entries()) {
    const payload = checkoutPayload({ token: `capped${i}`, createdAt: abandonedAt, phone: shopper.phone });
    payload.customer = null;
    await ingestWebhook(sql, { shop: TEST_SHOP, topic: "CHECKOUTS_CREATE", webhookId: randomUUID(), payload, now: abandonedAt });
  }
  clock.set(new Date(T.getTime() + 25 * 60_000));
  for (let i = 0; i < 3; i++) await dispatchOnce(fake);
}, 120_000);
afterAll(() => fake.close());

describe("the control group's population", () => {
  it("leaves capped shoppers out of both groups, those the hash would hold out included", async () => {
    expect(fake.messages).toHaveLength(SHOPPERS); // the welcomes, and no cart text
    const cart = await prisma.scheduledMessage.findMany({ where: { shop: TEST_SHOP, flow: "cart_recovery" }, select: { shopperId: true, status: true, reason: true } });
    expect(cart).toHaveLength(SHOPPERS);
    // The hash would have held out some of them: the test means something only if it did.
    expect(shoppers.filter((s) => inHoldout(s.id, "cart_recovery", 50)).length).toBeGreaterThan(SHOPPERS / 4);
    expect(cart.every((m) => m.status === "skipped" && m.reason === "frequency_cap")).toBe(true);

    const { sql } = await database();
    const lift = await cartRecoveryLift(sql, TEST_SHOP, { from: T, to: new Date(T.getTime() + 86_400_000) });
    expect(lift.treated.shoppers).toBe(0);
    expect(lift.control.shoppers).toBe(0);
  });
});
