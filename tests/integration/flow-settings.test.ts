import type { PrismaClient } from "@prisma/client";
import { beforeAll, describe, expect, it } from "vitest";
import { database } from "~/db.server";
import type { EditableFlow } from "~/flows/catalog";
import { draftFromSettings, validateFlowDraft, type FlowDraft } from "~/flows/flow-draft";
import { action as checkoutsCreate } from "~/routes/webhooks.checkouts.create";
import { saveFlowDraft } from "~/services/flow-settings.server";
import { readShopSettings } from "~/services/shops.server";
import { checkoutPayload, installShop, TEST_SHOP, webhookRequest } from "../support/shopify";

const OTHER_SHOP = "other-flows.myshopify.com";
const MIN = 60_000;
let prisma: PrismaClient;

const settingsOf = async (shop: string) => readShopSettings(shop, (await prisma.shop.findUniqueOrThrow({ where: { domain: shop } })).settings);
const cartDraft = async (shop = TEST_SHOP): Promise<FlowDraft> => {
  const s = await settingsOf(shop);
  return draftFromSettings("cart_recovery", s.journey, s.sending);
};
const save = async (draft: FlowDraft, flow: EditableFlow = "cart_recovery", shop = TEST_SHOP) => {
  const { sql } = await database();
  return saveFlowDraft({ prisma, sql, now: new Date() }, shop, flow, draft);
};
async function abandon(shop: string, token: string, phone: string, at: Date) {
  const res = await checkoutsCreate({ request: webhookRequest("checkouts/create", checkoutPayload({ token, createdAt: at, phone }), { shop }), params: {}, context: {} });
  expect(res.status).toBe(200);
  const shopper = await prisma.shopper.findFirstOrThrow({ where: { shop, phone } });
  return () => prisma.scheduledMessage.findMany({ where: { shop, shopperId: shopper.id }, orderBy: { dedupeKey: "asc" } });
}

beforeAll(async () => {
  prisma = await installShop(TEST_SHOP, { name: "Snow Devil" });
  await installShop(OTHER_SHOP, { name: "Other" });
});

describe("saving a flow from the editor", () => {
  it("stores steps, window, expiry, control group and A/B texts, keeping settings the editor doesn't cover", async () => {
    await prisma.shop.update({ where: { domain: TEST_SHOP }, data: { settings: { sending: { brandName: "Snowy", templates: { welcome: "Hi {{first_name}}" } } } } });
    const draft: FlowDraft = {
      ...(await cartDraft()),
      steps: [
        { delayMinutes: 30, discountPercent: null },
        { delayMinutes: 6 * 60, discountPercent: 15 },
      ],
      windowHours: 24,
      discountExpiryHours: 12,
      holdoutPercent: 20,
      template: "Hey {{first_name}}, still thinking? {{checkout_link}}",
      variants: ["{{first_name}}, your cart at {{shop_name}} is waiting: {{checkout_link}}"],
    };
    expect(await save(draft)).toMatchObject({ ok: true });
    const read = await settingsOf(TEST_SHOP);
    expect(read.journey.cartRecovery).toEqual({ enabled: true, steps: draft.steps, windowHours: 24, discountExpiryHours: 12 });
    expect(read.journey.holdoutPercent.cart_recovery).toBe(20);
    expect(read.sending.templates.cart_recovery).toBe(draft.template);
    expect(read.sending.variants.cart_recovery).toEqual([draft.template, draft.variants[0]]);
    expect(read.sending.brandName).toBe("Snowy");
    expect(read.sending.templates.welcome).toBe("Hi {{first_name}}");
    // Reading it back gives the same draft: what the editor shows is what is stored.
    expect(await cartDraft()).toEqual(draft);

    // Removing the variants ends the A/B test.
    expect(await save({ ...draft, variants: [] })).toMatchObject({ ok: true });
    expect((await settingsOf(TEST_SHOP)).sending.variants.cart_recovery).toBeUndefined();
    expect((await settingsOf(OTHER_SHOP)).journey.cartRecovery.steps).toHaveLength(3);
  });

  it.each<[string, (d: FlowDraft) => FlowDraft, string]>([
    [
      "a second text before the first",
      (d) => ({
        ...d,
        steps: [
          { delayMinutes: 60, discountPercent: 10 },
          { delayMinutes: 30, discountPercent: 10 },
        ],
      }),
      "steps.1.delayMinutes",
    ],
    [
      "a text after the window",
      (d) => ({
        ...d,
        windowHours: 24,
        steps: [
          { delayMinutes: 20, discountPercent: 10 },
          { delayMinutes: 25 * 60, discountPercent: 10 },
        ],
      }),
      "steps.1.delayMinutes",
    ],
    ["a first text after 48 hours", (d) => ({ ...d, windowHours: 72, steps: [{ delayMinutes: 50 * 60, discountPercent: 10 }] }), "steps.0.delayMinutes"],
    ["an unknown token in a variant", (d) => ({ ...d, variants: ["Hi {{nickname}}"] }), "variants.0"],
    ["a variant equal to text A", (d) => ({ ...d, variants: [d.template] }), "variants.0"],
    ["a control group over 50%", (d) => ({ ...d, holdoutPercent: 60 }), "holdoutPercent"],
    ["a 120% discount", (d) => ({ ...d, steps: [{ delayMinutes: 20, discountPercent: 120 }] }), "steps.0.discountPercent"],
    ["a blank delay", (d) => ({ ...d, steps: [{ delayMinutes: Number.NaN, discountPercent: 10 }] }), "steps.0.delayMinutes"],
  ])("refuses %s, naming the field, and stores nothing", async (_, change, field) => {
    const before = (await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } })).settings;
    const result = await save(change(await cartDraft()));
    expect(result.ok).toBe(false);
    expect(Object.keys((result as { errors: Record<string, string> }).errors)).toContain(field);
    expect((await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } })).settings).toEqual(before);
  });
});

describe("the NPS question in the post-purchase flow (issue #17)", () => {
  it("is on by default, and switching it off stores only that, keeping its delay and the thank-you", async () => {
    const s = await settingsOf(OTHER_SHOP);
    const draft = draftFromSettings("post_purchase", s.journey, s.sending);
    expect(draft.askNps).toBe(true);
    expect(await save({ ...draft, askNps: false }, "post_purchase", OTHER_SHOP)).toMatchObject({ ok: true });
    const read = await settingsOf(OTHER_SHOP);
    expect(read.journey.postPurchase).toEqual({ ...s.journey.postPurchase, npsQuestion: { enabled: false, afterDays: 7 } });
    expect(draftFromSettings("post_purchase", read.journey, read.sending).askNps).toBe(false);
    expect(await save({ ...draft, askNps: true }, "post_purchase", OTHER_SHOP)).toMatchObject({ ok: true });
    expect((await settingsOf(OTHER_SHOP)).journey.postPurchase.npsQuestion.enabled).toBe(true);
  });
});

describe("the browse and cart abandonment flows in the editor (issue #18)", () => {
  it.each<["browse_abandonment" | "cart_abandonment", "browseAbandonment" | "cartAbandonment"]>([
    ["browse_abandonment", "browseAbandonment"],
    ["cart_abandonment", "cartAbandonment"],
  ])("stores %s's switch, delay, discount, window, control group and A/B texts", async (flow, key) => {
    const s = await settingsOf(OTHER_SHOP);
    const draft: FlowDraft = {
      ...draftFromSettings(flow, s.journey, s.sending),
      enabled: true,
      steps: [{ delayMinutes: 90, discountPercent: 5 }],
      windowHours: 12,
      holdoutPercent: 15,
      template: "{{product_title}} misses you at {{shop_name}}: {{checkout_link}}",
      variants: ["Still want {{product_title}}? {{discount_percent}}% off: {{checkout_link}}"],
    };
    expect(await save(draft, flow, OTHER_SHOP)).toMatchObject({ ok: true });
    const read = await settingsOf(OTHER_SHOP);
    expect(read.journey[key]).toEqual({ enabled: true, delayMinutes: 90, discountPercent: 5, windowHours: 12, discountExpiryHours: 48 });
    expect(read.journey.holdoutPercent[flow]).toBe(15);
    expect(read.sending.variants[flow]).toEqual([draft.template, draft.variants[0]]);
    expect(draftFromSettings(flow, read.journey, read.sending)).toEqual(draft);
  });

  it("refuses a second text, a delay past the window, or one US numbers could never get", () => {
    const s = readShopSettings(OTHER_SHOP, {});
    const draft = draftFromSettings("cart_abandonment", s.journey, s.sending);
    expect(validateFlowDraft("cart_abandonment", { ...draft, steps: [draft.steps[0]!, { delayMinutes: 120, discountPercent: null }] }, "Other")).toHaveProperty("steps");
    expect(validateFlowDraft("cart_abandonment", { ...draft, windowHours: 1, steps: [{ delayMinutes: 90, discountPercent: null }] }, "Other")).toHaveProperty("steps.0.delayMinutes");
    expect(validateFlowDraft("browse_abandonment", { ...draft, windowHours: 100, steps: [{ delayMinutes: 49 * 60, discountPercent: null }] }, "Other")).toHaveProperty(
      ["steps.0.delayMinutes"],
      "US and Canadian numbers may only get a reminder within 48 hours",
    );
  });
});

describe("pending texts after a flow changes", () => {
  it("moves, cancels and adds pending texts to match the new settings, only in this shop", async () => {
    const now = new Date();
    await prisma.shop.update({ where: { domain: TEST_SHOP }, data: { settings: { journey: { holdoutPercent: { cart_recovery: 0 } } } } });
    // A UK number gets every cart step; a US one only the first.
    const uk = await abandon(TEST_SHOP, "replan-uk", "+447911123456", now);
    const us = await abandon(TEST_SHOP, "replan-us", "+12125550190", now);
    const other = await abandon(OTHER_SHOP, "replan-other", "+447911123456", now);
    expect((await uk()).map((m) => m.dedupeKey)).toEqual(["cart:replan-uk:1", "cart:replan-uk:2", "cart:replan-uk:3"]);
    const otherBefore = await other();

    const draft = await cartDraft();
    const result = await save({
      ...draft,
      steps: [
        { delayMinutes: 45, discountPercent: 5 },
        { delayMinutes: 12 * 60, discountPercent: 10 },
      ],
    });
    expect(result).toMatchObject({ ok: true, replan: { shoppers: 2, cancelled: 1 } });
    const ukRows = await uk();
    const abandonedAt = new Date(ukRows[0]!.dueAt.getTime() - 45 * MIN);
    expect(ukRows.map((m) => [m.dedupeKey, m.status, m.dueAt.getTime() - abandonedAt.getTime(), m.discount])).toEqual([
      ["cart:replan-uk:1", "scheduled", 45 * MIN, { percent: 5, expiresInHours: 48 }],
      ["cart:replan-uk:2", "scheduled", 12 * 60 * MIN, { percent: 10, expiresInHours: 48 }],
      ["cart:replan-uk:3", "cancelled", expect.any(Number), expect.anything()],
    ]);
    expect(ukRows[2]!.reason).toBe("settings_changed");
    expect((await us()).map((m) => [m.dedupeKey, m.status, m.dueAt.getTime() - abandonedAt.getTime()])).toEqual([["cart:replan-us:1", "scheduled", 45 * MIN]]);
    expect(await other()).toEqual(otherBefore);

    // Adding the third text back schedules it again; a text already sent is never touched.
    await prisma.scheduledMessage.updateMany({ where: { shop: TEST_SHOP, dedupeKey: "cart:replan-uk:1" }, data: { status: "sent", sentAt: new Date() } });
    const again = await save({
      ...(await cartDraft()),
      steps: [
        { delayMinutes: 30, discountPercent: 5 },
        { delayMinutes: 12 * 60, discountPercent: 10 },
        { delayMinutes: 40 * 60, discountPercent: 10 },
      ],
    });
    expect(again.ok).toBe(true);
    expect((await uk()).map((m) => [m.dedupeKey, m.status, m.dueAt.getTime() - abandonedAt.getTime()])).toEqual([
      ["cart:replan-uk:1", "sent", 45 * MIN],
      ["cart:replan-uk:2", "scheduled", 12 * 60 * MIN],
      ["cart:replan-uk:3", "scheduled", 40 * 60 * MIN],
    ]);

    // Turning the flow off cancels what is pending.
    expect(await save({ ...(await cartDraft()), enabled: false })).toMatchObject({ ok: true, replan: { cancelled: 3 } });
    expect((await uk()).filter((m) => m.status === "scheduled")).toEqual([]);
    expect((await us()).map((m) => [m.status, m.reason])).toEqual([["cancelled", "settings_changed"]]);
    expect((await other()).filter((m) => m.status === "scheduled")).toHaveLength(3);
  });
});
