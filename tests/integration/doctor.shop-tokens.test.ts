import { describe, expect, it } from "vitest";
import { database } from "~/db.server";
import { shopTokensCheck } from "~/ops/shop-tokens-check.server";
import { recordInstall } from "~/services/shops.server";
import { installShop } from "../support/shopify";

describe("the doctor's shop tokens check", () => {
  it("is ok when every installed shop has an expiring token", async () => {
    await installShop("fine.myshopify.com");
    expect(await shopTokensCheck((await database()).sql)).toEqual({ name: "shop tokens", status: "ok", detail: "1 installed shops, each with an expiring offline token" });
  });

  it("warns about shops needing re-auth, shops on a non-expiring token, and shops without a session, by domain", async () => {
    const prisma = (await database()).prisma;
    await installShop("refused.myshopify.com");
    await prisma.shop.update({ where: { domain: "refused.myshopify.com" }, data: { reauthNeededAt: new Date(), reauthReason: "refresh refused" } });
    await installShop("legacy.myshopify.com");
    await prisma.session.update({ where: { id: "offline_legacy.myshopify.com" }, data: { expires: null, refreshToken: null, refreshTokenExpires: null } });
    await recordInstall(prisma, "sessionless.myshopify.com");
    await installShop("gone.myshopify.com");
    await prisma.shop.update({ where: { domain: "gone.myshopify.com" }, data: { uninstalledAt: new Date(), reauthNeededAt: new Date() } });

    const check = await shopTokensCheck((await database()).sql);
    expect(check.status).toBe("warn");
    expect(check.detail).toContain("1 need the merchant to reopen the app (refresh refused; code texts wait): refused.myshopify.com");
    expect(check.detail).toContain("1 still on a non-expiring token (migrated on their next background call; refused by Shopify from 2027-01-01): legacy.myshopify.com");
    expect(check.detail).toContain("1 with no offline session (installed before any admin load?): sessionless.myshopify.com");
    expect(check.detail).not.toContain("gone.myshopify.com");
  });
});
