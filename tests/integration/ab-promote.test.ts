import type { PrismaClient } from "@prisma/client";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fixedClock, setClock } from "~/clock.server";
import { database } from "~/db.server";
import { draftFromSettings } from "~/flows/flow-draft";
import type { SendingSettings } from "~/messaging/settings";
import { action, loader } from "~/routes/app.flows.$flow";
import { flowScoreboard } from "~/services/ab-scoreboard.server";
import { loadFlowDraft, saveFlowDraft } from "~/services/flow-settings.server";
import { readShopSettings } from "~/services/shops.server";
import { adminRequest } from "../support/admin-request";
import { installShop, TEST_SHOP } from "../support/shopify";

// Issue #17, item 2: the A/B scoreboard per flow, and "Promote the winner" saved through the
// locked read-modify-write, refused with 409 when the flow changed since the page loaded.

const T = new Date("2026-11-24T15:00:00Z");
const clock = fixedClock(T);
const A = "Hey {{first_name}}, your cart at {{shop_name}}: {{checkout_link}}";
const B = "{{first_name}}, {{shop_name}} saved your cart: {{checkout_link}}";
const TWILIO = { accountSid: `AC${"7".repeat(32)}`, authTokenSealed: "sealed", messagingServiceSid: `MG${"7".repeat(32)}` };
let prisma: PrismaClient;
/** shop.settings as the flow editor stores it (the test reads the raw JSON, not readShopSettings). */
type StoredSettings = { journey?: unknown; sending: SendingSettings; twilio?: unknown };
let n = 0;

const settingsOf = async () => (await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } })).settings as StoredSettings;
const post = async (form: Record<string, string>) => action({ request: await adminRequest("/app/flows/cart_recovery", { form }), params: { flow: "cart_recovery" }, context: {} });
const load = async () => (await loader({ request: await adminRequest("/app/flows/cart_recovery"), params: { flow: "cart_recovery" }, context: {} })) as Awaited<ReturnType<typeof loader>>;

/** `count` texts of a variant sent an hour ago; the first `clicked` clicked, the first `bought` of those ordered. */
async function seedSends(variant: number, count: number, clicked: number, bought: number) {
  for (let i = 0; i < count; i++) {
    const shopper = await prisma.shopper.create({ data: { shop: TEST_SHOP, phone: `+1646888${String(++n).padStart(4, "0")}`, country: "US", consent: "granted" } });
    const sentAt = new Date(T.getTime() - 3_600_000);
    const message = await prisma.scheduledMessage.create({
      data: { shop: TEST_SHOP, shopperId: shopper.id, dedupeKey: `cart:ab${n}:1`, flow: "cart_recovery", step: 1, dueAt: sentAt, status: "sent", sentAt, variant },
    });
    await prisma.shortLink.create({ data: { id: `ab${n}`, shop: TEST_SHOP, messageId: message.id, shopperId: shopper.id, target: "https://x.test/c", clicks: i < clicked ? 1 : 0 } });
    if (i < bought) {
      const order = await prisma.order.create({ data: { shop: TEST_SHOP, shopifyOrderId: `ab-o${n}`, shopperId: shopper.id, totalPrice: "40.00", currency: "USD", placedAt: T } });
      await prisma.attribution.create({
        data: {
          shop: TEST_SHOP,
          orderId: order.id,
          messageId: message.id,
          shopperId: shopper.id,
          flow: "cart_recovery",
          rule: "click",
          touchedAt: T,
          recovered: true,
          revenue: "40.00",
          currency: "USD",
        },
      });
    }
  }
}

beforeAll(async () => {
  setClock(clock);
  prisma = await installShop(TEST_SHOP, { name: "Snow Devil" });
});

beforeEach(async () => {
  // An A/B test saved through the editor an hour and a half ago, and a connected Twilio account.
  await prisma.shop.update({ where: { domain: TEST_SHOP }, data: { settings: { twilio: TWILIO } } });
  const { sql } = await database();
  const s = readShopSettings(TEST_SHOP, await settingsOf());
  const draft = { ...draftFromSettings("cart_recovery", s.journey, s.sending), template: A, variants: [B] };
  expect(await saveFlowDraft({ prisma, sql, now: new Date(T.getTime() - 90 * 60_000) }, TEST_SHOP, "cart_recovery", draft)).toMatchObject({ ok: true });
});

describe("the A/B scoreboard", () => {
  it("shows sends, clicks, conversions and P(best) per text, counting from when the texts were saved", async () => {
    await seedSends(0, 60, 20, 3);
    await seedSends(1, 60, 35, 15);
    // A text credited with two orders is one send and one conversion (its revenue counts twice).
    const twice = await prisma.attribution.findFirstOrThrow({ where: { shop: TEST_SHOP, revenue: "40.00" }, orderBy: { createdAt: "desc" } });
    const second = await prisma.order.create({ data: { shop: TEST_SHOP, shopifyOrderId: "ab-twice", shopperId: twice.shopperId, totalPrice: "40.00", currency: "USD", placedAt: T } });
    await prisma.attribution.create({ data: { ...twice, id: undefined, createdAt: undefined, orderId: second.id } });
    // A send from before this test (an older text B): not counted.
    await prisma.scheduledMessage.updateMany({ where: { shop: TEST_SHOP, dedupeKey: "cart:ab1:1" }, data: { sentAt: new Date(T.getTime() - 2 * 3_600_000) } });

    const { sql } = await database();
    const board = (await flowScoreboard(sql, TEST_SHOP, "cart_recovery", T))!;
    expect(board.rows.map(({ label, text, sent, clicked, converted, revenue }) => ({ label, text, sent, clicked, converted, revenue }))).toEqual([
      { label: "A", text: A, sent: 59, clicked: 19, converted: 2, revenue: 80 },
      { label: "B", text: B, sent: 60, clicked: 35, converted: 15, revenue: 640 },
    ]);
    expect(board.leader).toBe(1);
    expect(board.conclusive).toBe(true);
    expect(board.rows[1]!.probabilityBest).toBeGreaterThan(0.99);
    expect(board.rows[0]!.probabilityBest + board.rows[1]!.probabilityBest).toBeCloseTo(1, 10);
    // The editor page's loader carries it; a flow with no test has none.
    expect((await load()).scoreboard).toEqual(board);
    expect(await flowScoreboard(sql, TEST_SHOP, "welcome", T)).toBeNull();
  });
});

describe("Promote the winner", () => {
  it("makes the chosen text the flow's only text, ending the test, and keeps every other setting", async () => {
    const { version } = await load();
    const before = await settingsOf();
    const res = (await post({ intent: "promote", variant: "1", version })) as Response;
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, promoted: "B" });

    const after = await settingsOf();
    expect(after.sending.templates.cart_recovery).toBe(B);
    expect(after.sending.variants.cart_recovery).toBeUndefined();
    expect(after.sending.variantsSince.cart_recovery).toBeUndefined();
    expect(after.twilio).toEqual(TWILIO);
    expect(after.journey).toEqual(before.journey);
    const { prisma: p } = await database();
    expect((await loadFlowDraft(p, TEST_SHOP, "cart_recovery")).draft).toMatchObject({ template: B, variants: [] });
    const { sql } = await database();
    expect(await flowScoreboard(sql, TEST_SHOP, "cart_recovery", T)).toBeNull();
  });

  it("answers 409 and stores nothing when the flow changed since the page loaded", async () => {
    const { version, draft } = await load();
    // Another tab saves a new control group in between.
    const { sql } = await database();
    expect(await saveFlowDraft({ prisma, sql, now: T }, TEST_SHOP, "cart_recovery", { ...draft, holdoutPercent: 25 })).toMatchObject({ ok: true });
    const between = await settingsOf();

    const res = (await post({ intent: "promote", variant: "1", version })) as Response;
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ ok: false, errors: { form: expect.stringContaining("changed elsewhere") } });
    expect(await settingsOf()).toEqual(between);

    // The editor's Save with the stale version is refused the same way.
    const save = (await post({ draft: JSON.stringify({ ...draft, holdoutPercent: 5 }), version })) as Response;
    expect(save.status).toBe(409);
    expect(await settingsOf()).toEqual(between);
  });

  it("answers 409 when the stored flow changes between the page's check and the locked write", async () => {
    // The race the lock closes: the check in promoteVariant passes, then another save lands
    // before saveFlowDraft's locked read. Simulated by saving with the old version after a change.
    const { version, draft } = await load();
    const { sql } = await database();
    await saveFlowDraft({ prisma, sql, now: T }, TEST_SHOP, "cart_recovery", { ...draft, variants: [B, "Last call {{first_name}}: {{checkout_link}}"] });
    const between = await settingsOf();
    expect(await saveFlowDraft({ prisma, sql, now: T }, TEST_SHOP, "cart_recovery", { ...draft, template: B, variants: [] }, { expectedVersion: version })).toMatchObject({
      ok: false,
      stale: true,
    });
    expect(await settingsOf()).toEqual(between);
  });

  it("refuses a text the test doesn't have, and an unreadable form, with a 4xx", async () => {
    const { version } = await load();
    expect(((await post({ intent: "promote", variant: "3", version })) as Response).status).toBe(422);
    expect(((await post({ intent: "promote", variant: "x", version })) as Response).status).toBe(400);
    expect((await settingsOf()).sending.variants.cart_recovery).toEqual([A, B]);
  });
});
