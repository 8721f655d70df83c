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

// Promise (issue #17, item 1, docs/decisions/005): the control group is drawn from the same
// population as the texted group. Since issue #18 a cart text over the frequency cap waits for
// it inside its window: while it waits, its shopper is in neither group; when the cap allows
// it, the control group is decided then; a text whose window closes first is skipped, and that
// shopper (who never could be texted) is in neither group, whatever the hash says.
const T = new Date("2026-11-24T15:00:00Z"); // 10:00 in New York
const MIN = 60_000;
const HOUR = 60 * MIN;
const SHOPPERS = 60;
const clock = fixedClock(T);
let prisma: PrismaClient;
let fake: FakeTwilio;

/**
 * Shoppers who got their welcome and, the same minute, an earlier abandonment's cart text (so
 * the welcome's exemption is used up), then abandon a new checkout a minute later: its text,
 * due 20 minutes on, breaks the 1-per-8-hours cap.
 */
async function cappedShoppers(at: Date, prefix: string) {
  clock.set(at);
  const shoppers = await seedDueWelcomes(prisma, at, SHOPPERS, prefix);
  await dispatchOnce(fake);
  const { sql } = await database();
  await sql.query(
    `INSERT INTO scheduled_message (shop, shopper_id, dedupe_key, flow, step, due_at, status, sent_at, updated_at)
     SELECT $1, id, 'cart:earlier:1', 'cart_recovery', 1, $2, 'sent', $2, now() FROM shopper WHERE shop = $1 AND id = ANY ($3::uuid[])`,
    [TEST_SHOP, at, shoppers.map((s) => s.id)],
  );
  const abandonedAt = new Date(at.getTime() + MIN);
  for (const [i, shopper] of shoppers.entries()) {
    const payload = checkoutPayload({ token: `capped${prefix}-${i}`, createdAt: abandonedAt, phone: shopper.phone });
    payload.customer = null;
    await ingestWebhook(sql, { shop: TEST_SHOP, topic: "CHECKOUTS_CREATE", webhookId: randomUUID(), payload, now: abandonedAt });
  }
  clock.set(new Date(at.getTime() + 25 * MIN));
  for (let i = 0; i < 3; i++) await dispatchOnce(fake);
  return shoppers;
}

const cartRows = (prefix: string) =>
  prisma.scheduledMessage.findMany({
    where: { shop: TEST_SHOP, flow: "cart_recovery", checkoutToken: { startsWith: `capped${prefix}-` } },
    select: { shopperId: true, status: true, reason: true, dueAt: true },
  });
const lift = async (from: Date) => cartRecoveryLift((await database()).sql, TEST_SHOP, { from, to: new Date(from.getTime() + 86_400_000) });

beforeAll(async () => {
  setClock(clock);
  prisma = await installShop();
  // Half of cart recovery held out, so an unlike control group could not hide in the noise.
  await prisma.shop.update({ where: { domain: TEST_SHOP }, data: { settings: { journey: { holdoutPercent: { cart_recovery: 50 } } } } });
  fake = await startFakeTwilio();
}, 120_000);
afterAll(() => fake.close());

describe("the control group's population", () => {
  it("keeps a capped cart text waiting in neither group, then splits the same shoppers when the cap allows it", async () => {
    const shoppers = await cappedShoppers(T, "717");
    const sentBefore = fake.messages.length;
    expect(sentBefore).toBe(SHOPPERS); // the welcomes, and no cart text yet
    const waiting = await cartRows("717");
    expect(waiting).toHaveLength(SHOPPERS);
    // The hash would hold out some of them: the test means something only if it does.
    const held = shoppers.filter((s) => inHoldout(s.id, "cart_recovery", 50));
    expect(held.length).toBeGreaterThan(SHOPPERS / 4);
    // The 8-hour cap frees 8 hours after the earlier texts, inside the 48-hour window.
    expect(waiting.every((m) => m.status === "scheduled" && m.reason === "frequency_cap_wait" && m.dueAt.getTime() === T.getTime() + 8 * HOUR)).toBe(true);
    expect(await lift(T)).toMatchObject({ treated: { shoppers: 0 }, control: { shoppers: 0 } });

    clock.set(new Date(T.getTime() + 8 * HOUR + MIN)); // 18:01 in New York
    for (let i = 0; i < 3; i++) await dispatchOnce(fake);
    const decided = await cartRows("717");
    const heldIds = new Set(held.map((s) => s.id));
    expect(decided.filter((m) => m.status === "skipped").every((m) => m.reason === "holdout" && heldIds.has(m.shopperId))).toBe(true);
    expect(
      decided
        .filter((m) => m.status === "sent")
        .map((m) => m.shopperId)
        .sort(),
    ).toEqual(
      shoppers
        .filter((s) => !heldIds.has(s.id))
        .map((s) => s.id)
        .sort(),
    );
    expect(fake.messages.length - sentBefore).toBe(SHOPPERS - held.length);
  });

  it("leaves shoppers whose window closes before the cap allows their text out of both groups", async () => {
    // A 4-hour cart window: the cap (8 hours) frees after it closes, so the texts can never go.
    await prisma.shop.update({ where: { domain: TEST_SHOP }, data: { settings: { journey: { holdoutPercent: { cart_recovery: 50 }, cartRecovery: { windowHours: 4 } } } } });
    const T2 = new Date(T.getTime() + 48 * HOUR);
    const shoppers = await cappedShoppers(T2, "718");
    expect(shoppers.filter((s) => inHoldout(s.id, "cart_recovery", 50)).length).toBeGreaterThan(SHOPPERS / 4);
    const rows = await cartRows("718");
    expect(rows).toHaveLength(SHOPPERS);
    expect(rows.every((m) => m.status === "skipped" && m.reason === "frequency_cap")).toBe(true);
    expect(await lift(T2)).toMatchObject({ treated: { shoppers: 0 }, control: { shoppers: 0 } });
  });
});
