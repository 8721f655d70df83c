import { describe, expect, it } from "vitest";
import { database } from "~/db.server";
import { readShopSettings } from "~/services/shops.server";
import { saveShopSettings, SettingsFormSchema } from "~/services/shop-settings.server";
import { installShop, TEST_SHOP } from "../support/shopify";

const form = {
  brandName: "Snow Devil",
  startHour: "9",
  endHour: "20",
  capPer8h: "1",
  capPer24h: "2",
  ratePerSecond: "5",
  segmentPrice: "0.01",
  clickWindowDays: "3",
  viewWindowHours: "24",
  doubleOptIn: "on",
  sendWithoutDiscount: "on",
};

describe("settings form", () => {
  it("saves what the merchant entered and keeps settings the form doesn't cover", async () => {
    const prisma = await installShop();
    await prisma.shop.update({ where: { domain: TEST_SHOP }, data: { settings: { journey: { holdoutPercent: { cart_recovery: 0 } }, sending: { templates: { welcome: "Hi {{first_name}}" } } } } });
    await saveShopSettings((await database()).sql, TEST_SHOP, SettingsFormSchema.parse(form));
    const { settings } = await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    const read = readShopSettings(TEST_SHOP, settings);
    expect(read.sending).toMatchObject({ brandName: "Snow Devil", window: { startHour: 9, endHour: 20 }, ratePerSecond: 5, segmentPrice: 0.01, templates: { welcome: "Hi {{first_name}}" } });
    expect(read.sending.caps).toEqual([
      { windowHours: 8, max: 1 },
      { windowHours: 24, max: 2 },
    ]);
    expect(read.attribution).toEqual({ clickWindowDays: 3, viewWindowHours: 24 });
    expect(read.sending.sendWithoutDiscount).toBe(true);
    expect(read.journey).toMatchObject({ doubleOptIn: true, holdoutPercent: { cart_recovery: 0 } });
  });

  it("turns the view window and sending without a discount off when left empty or unticked", async () => {
    const prisma = await installShop();
    await saveShopSettings((await database()).sql, TEST_SHOP, SettingsFormSchema.parse(form));
    const { sendWithoutDiscount: _unticked, ...rest } = form;
    await saveShopSettings((await database()).sql, TEST_SHOP, SettingsFormSchema.parse({ ...rest, viewWindowHours: " " }));
    const read = readShopSettings(TEST_SHOP, (await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } })).settings);
    expect(read.attribution.viewWindowHours).toBeNull();
    expect(read.sending.sendWithoutDiscount).toBe(false);
    expect(SettingsFormSchema.parse({ ...form, viewWindowHours: "0" }).viewWindowHours).toBeNull();
  });

  it("accepts the widest settings, 0–24 and caps of 50 (the law still applies at send time)", async () => {
    await installShop();
    const widest = SettingsFormSchema.parse({ ...form, startHour: "0", endHour: "24", capPer8h: "50", capPer24h: "50" });
    await saveShopSettings((await database()).sql, TEST_SHOP, widest);
    const { settings } = await (await database()).prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } });
    const read = readShopSettings(TEST_SHOP, settings);
    expect(read.sending.window).toEqual({ startHour: 0, endHour: 24 });
    expect(read.sending.caps).toEqual([
      { windowHours: 8, max: 50 },
      { windowHours: 24, max: 50 },
    ]);
  });

  it.each([
    [{ capPer24h: "51" }, "capPer24h"],
    [{ endHour: "7" }, "endHour"],
    [{ capPer8h: "3", capPer24h: "2" }, "capPer24h"],
    [{ capPer8h: "0" }, "capPer8h"],
    [{ brandName: "x".repeat(61) }, "brandName"],
    [{ viewWindowHours: "169" }, "viewWindowHours"],
    [{ viewWindowHours: "1.5" }, "viewWindowHours"],
    [{ viewWindowHours: "-2" }, "viewWindowHours"],
    [{ viewWindowHours: "soon" }, "viewWindowHours"],
  ])("rejects %o on field %s", (change, field) => {
    const result = SettingsFormSchema.safeParse({ ...form, ...change });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path[0])).toContain(field);
  });
});
