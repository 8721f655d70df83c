import { describe, expect, it } from "vitest";
import { readShopSettings } from "~/services/shops.server";
import { saveFlow, saveShopSettings, SettingsFormSchema } from "~/services/shop-settings.server";
import { installShop, TEST_SHOP } from "../support/shopify";

const form = { brandName: "Snow Devil", startHour: "9", endHour: "20", capPer8h: "1", capPer24h: "2", ratePerSecond: "5", segmentPrice: "0.01", clickWindowDays: "3", doubleOptIn: "on" };

describe("settings form", () => {
  it("saves what the merchant entered and keeps settings the form doesn't cover", async () => {
    const prisma = await installShop();
    await prisma.shop.update({ where: { domain: TEST_SHOP }, data: { settings: { journey: { holdoutPercent: { cart_recovery: 0 } }, sending: { templates: { welcome: "Hi {{first_name}}" } } } } });
    await saveShopSettings(prisma, TEST_SHOP, SettingsFormSchema.parse(form));
    const { settings } = await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    const read = readShopSettings(TEST_SHOP, settings);
    expect(read.sending).toMatchObject({ brandName: "Snow Devil", window: { startHour: 9, endHour: 20 }, ratePerSecond: 5, segmentPrice: 0.01, templates: { welcome: "Hi {{first_name}}" } });
    expect(read.sending.caps).toEqual([{ windowHours: 8, max: 1 }, { windowHours: 24, max: 2 }]);
    expect(read.attribution.clickWindowDays).toBe(3);
    expect(read.journey).toMatchObject({ doubleOptIn: true, holdoutPercent: { cart_recovery: 0 } });
  });

  it.each([
    [{ endHour: "7" }, "endHour"],
    [{ capPer8h: "3", capPer24h: "2" }, "capPer24h"],
    [{ capPer8h: "0" }, "capPer8h"],
    [{ brandName: "x".repeat(61) }, "brandName"],
  ])("rejects %o on field %s", (change, field) => {
    const result = SettingsFormSchema.safeParse({ ...form, ...change });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path[0])).toContain(field);
  });
});

describe("saveFlow", () => {
  const flow = { id: "cart_recovery", settingsKey: "cartRecovery", defaultTemplate: "Default {{first_name}}" };

  it("stores a custom text and the switch, and keeps the rest of the flow's settings", async () => {
    const prisma = await installShop("flows.myshopify.com");
    await prisma.shop.update({ where: { domain: "flows.myshopify.com" }, data: { settings: { journey: { cartRecovery: { windowHours: 24 } } } } });
    await saveFlow(prisma, "flows.myshopify.com", flow, { template: " Hi {{first_name}} ", enabled: false });
    const read = readShopSettings("flows.myshopify.com", (await prisma.shop.findUniqueOrThrow({ where: { domain: "flows.myshopify.com" } })).settings);
    expect(read.sending.templates.cart_recovery).toBe("Hi {{first_name}}");
    expect(read.journey.cartRecovery).toMatchObject({ enabled: false, windowHours: 24 });

    await saveFlow(prisma, "flows.myshopify.com", flow, { template: "Default {{first_name}}", enabled: true });
    const again = readShopSettings("flows.myshopify.com", (await prisma.shop.findUniqueOrThrow({ where: { domain: "flows.myshopify.com" } })).settings);
    expect(again.sending.templates.cart_recovery).toBeUndefined();
    expect(again.journey.cartRecovery.enabled).toBe(true);
  });
});
