import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { database } from "~/db.server";
import { loadFlowDraft, saveFlowDraft } from "~/services/flow-settings.server";
import { readShopSettings } from "~/services/shops.server";
import { saveShopSettings, SettingsFormSchema } from "~/services/shop-settings.server";
import { hasStoredTwilioCredentials, removeTwilioCredentials, saveTwilioCredentials } from "~/services/twilio-credentials.server";
import { installShop, TEST_SHOP } from "../support/shopify";

// Promise (issue #17, item 4): the settings form, two flow editors and the Twilio connection
// saved at the same moment each keep what they saved. Before, each editor read the settings,
// changed its part and wrote `journey`/`sending` back whole, so the last writer silently undid
// the others (a cart delay, a welcome change or the double opt-in switch came back or vanished).
const ROUNDS = 12;
const key = randomBytes(32);
const credentials = { accountSid: `AC${"a".repeat(32)}`, authToken: "t".repeat(32), fromNumber: "+15005550006" };
const form = (round: number) =>
  SettingsFormSchema.parse({
    brandName: `Brand ${round}`,
    startHour: "9",
    endHour: "20",
    capPer8h: "1",
    capPer24h: "3",
    ratePerSecond: "5",
    segmentPrice: "0.01",
    clickWindowDays: String(1 + (round % 20)),
    doubleOptIn: round % 2 === 0 ? "on" : "",
  });

describe("saves racing each other on one shop", () => {
  it("lose nothing: every round ends with each editor's own change in place", async () => {
    const prisma = await installShop();
    const { sql } = await database();
    const cart = (await loadFlowDraft(prisma, TEST_SHOP, "cart_recovery")).draft;
    const welcome = (await loadFlowDraft(prisma, TEST_SHOP, "welcome")).draft;
    const lost: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const now = new Date();
      const results = await Promise.all([
        saveShopSettings(sql, TEST_SHOP, form(round)),
        saveFlowDraft({ prisma, sql, now }, TEST_SHOP, "cart_recovery", { ...cart, steps: [{ ...cart.steps[0]!, delayMinutes: 30 + round }, ...cart.steps.slice(1)] }),
        saveFlowDraft({ prisma, sql, now }, TEST_SHOP, "welcome", { ...welcome, steps: [{ ...welcome.steps[0]!, delayMinutes: round }] }),
        round % 2 === 0 ? saveTwilioCredentials(sql, TEST_SHOP, credentials, key) : removeTwilioCredentials(sql, TEST_SHOP),
      ]);
      expect(results[1]).toMatchObject({ ok: true });
      expect(results[2]).toMatchObject({ ok: true });

      const { settings } = await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP }, select: { settings: true } });
      const read = readShopSettings(TEST_SHOP, settings);
      if (read.sending.brandName !== `Brand ${round}`) lost.push(`round ${round}: brand name`);
      if (read.journey.doubleOptIn !== (round % 2 === 0)) lost.push(`round ${round}: double opt-in`);
      if (read.attribution.clickWindowDays !== 1 + (round % 20)) lost.push(`round ${round}: click window`);
      if (read.journey.cartRecovery.steps[0]!.delayMinutes !== 30 + round) lost.push(`round ${round}: cart delay`);
      if (read.journey.welcome.delayMinutes !== round) lost.push(`round ${round}: welcome delay`);
      if (hasStoredTwilioCredentials(settings) !== (round % 2 === 0)) lost.push(`round ${round}: Twilio account`);
    }
    expect(lost).toEqual([]);
  });
});
