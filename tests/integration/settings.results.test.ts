import { describe, expect, it } from "vitest";
import { action, loader } from "~/routes/app.settings";
import { readShopSettings } from "~/services/shops.server";
import { actionOutcome, adminRequest } from "../support/admin-request";
import { installShop } from "../support/shopify";

// Issue #17, item 2: the view window (ADR 005) and sending without a discount (ADR 004) are
// settings the merchant can see and change, through the settings page's own action.
const SHOP = "settings-results.myshopify.com";
const FORM = { intent: "save", brandName: "", supportContact: "", startHour: "8", endHour: "21", capPer8h: "2", capPer24h: "3", ratePerSecond: "10", segmentPrice: "0.0083", clickWindowDays: "5" };

type Answer = { intent: string; ok: boolean; errors?: Record<string, string> };
const post = async (form: Record<string, string>) => actionOutcome<Answer>(await action({ request: await adminRequest("/app/settings", { shop: SHOP, form }), params: {}, context: {} }));
const values = async () => (await loader({ request: await adminRequest("/app/settings", { shop: SHOP }), params: {}, context: {} })).values;

describe("the settings page's results and discount settings", () => {
  it("shows them off by default, saves a view window and sending without a discount, and shows them back", async () => {
    const prisma = await installShop(SHOP);
    expect(await values()).toMatchObject({ viewWindowHours: "", sendWithoutDiscount: false });

    const { status } = await post({ ...FORM, viewWindowHours: "24", sendWithoutDiscount: "on" });
    expect(status).toBe(200);
    expect(await values()).toMatchObject({ viewWindowHours: "24", sendWithoutDiscount: true });
    const read = readShopSettings(SHOP, (await prisma.shop.findUniqueOrThrow({ where: { domain: SHOP } })).settings);
    expect(read.attribution.viewWindowHours).toBe(24);
    expect(read.sending.sendWithoutDiscount).toBe(true);
  });

  it("answers 400 with the field's message for a view window out of range, and keeps what was stored", async () => {
    await installShop(SHOP);
    await post({ ...FORM, viewWindowHours: "12" });
    const { status, body } = await post({ ...FORM, viewWindowHours: "500" });
    expect(status).toBe(400);
    expect(body.errors?.viewWindowHours).toBe("At most 168 hours (7 days)");
    expect(await values()).toMatchObject({ viewWindowHours: "12" });
  });
});
