import { existsSync } from "node:fs";
import type { PrismaClient } from "@prisma/client";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { action as optin } from "~/routes/proxy.optin";
import { appProxyRequest, installShop, TEST_SHOP } from "../support/shopify";
import { renderOptinEmbed, startStorefront } from "../support/storefront";

// A real browser on a shared 2-core machine: a page can take tens of seconds to settle.
vi.setConfig({ testTimeout: 120_000 });

// The popup's real Liquid, JS and CSS in Debian's Chromium, posting through a stand-in for
// Shopify's app proxy to the real route. .ci/run installs chromium; without it this fails.
const CHROMIUM = "/usr/bin/chromium";
const CHROME_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";
let prisma: PrismaClient;
let browser: Browser;
let storefront: Awaited<ReturnType<typeof startStorefront>>;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (see .ci/run)`);
  prisma = await installShop();
  const embed = await renderOptinEmbed("Snow Devil", { delay_seconds: 0 });
  storefront = await startStorefront(embed, async (path, body, headers) => {
    const signed = appProxyRequest(`/proxy${path}`, body, { ip: headers["x-forwarded-for"], userAgent: headers["user-agent"] });
    return optin({ request: signed, params: {}, context: {} });
  });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await storefront?.close();
});

const newPage = async () => (await browser.newContext({ userAgent: CHROME_UA, viewport: { width: 1100, height: 800 } })).newPage();

describe("the opt-in popup in a real browser", () => {
  it("opens as a labelled dialog, shows errors, and stores consent with the disclosure it showed", async () => {
    const page = await newPage();
    await page.goto(storefront.url);
    const dialog = page.getByRole("dialog", { name: "Join our VIP list" });
    await dialog.waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("nudge-optin-phone");
    const disclosure = await page.locator("#nudge-optin-disclosure").textContent();
    expect(disclosure).toContain("marketing texts from Snow Devil");
    await page.screenshot({ path: "/tmp/nudge-optin-popup.png" });

    await page.getByLabel("Mobile number").fill("12345");
    await page.getByRole("button", { name: "Get my 15% off" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toBe("That doesn't look like a valid mobile number");

    await page.getByLabel("Mobile number").fill("(212) 555-0199");
    await page.getByRole("button", { name: "Get my 15% off" }).click();
    await page.getByRole("status").waitFor();
    expect(await page.getByRole("status").textContent()).toBe("You're in! Check your phone for your code.");

    const consent = await prisma.consent.findFirstOrThrow({ where: { shop: TEST_SHOP, phone: "+12125550199" } });
    expect(consent).toMatchObject({ source: "popup", status: "granted", disclosureText: disclosure, disclosureVersion: "1", userAgent: CHROME_UA });
    expect(consent.pageUrl).toBe(`${storefront.url}/`);

    await page.reload();
    await page.waitForTimeout(300);
    expect(await page.getByRole("dialog").count()).toBe(0);
  });

  it("sends the web pixel's client id (its _nudge_cid cookie), which ties this browser to the shopper", async () => {
    const page = await newPage();
    const clientId = "c0ffee00-0000-4000-8000-00000000e2e1";
    await page.context().addCookies([{ name: "_nudge_cid", value: clientId, url: storefront.url }]);
    await page.goto(storefront.url);
    await page.getByRole("dialog", { name: "Join our VIP list" }).waitFor();
    await page.getByLabel("Mobile number").fill("(212) 555-0188");
    await page.getByRole("button", { name: "Get my 15% off" }).click();
    await page.getByRole("status").waitFor();
    const shopper = await prisma.shopper.findFirstOrThrow({ where: { shop: TEST_SHOP, phone: "+12125550188" } });
    expect(await prisma.storefrontVisitor.findUnique({ where: { shop_clientId: { shop: TEST_SHOP, clientId } } })).toMatchObject({ shopperId: shopper.id });
  });

  it("closes on Escape, returns focus, and stays closed", async () => {
    const page = await newPage();
    await page.goto(storefront.url);
    await page.getByRole("dialog").waitFor();
    await page.keyboard.press("Escape");
    expect(await page.getByRole("dialog").isVisible()).toBe(false);
    await page.reload();
    await page.waitForTimeout(300);
    expect(await page.getByRole("dialog").count()).toBe(0);
  });

  it("keeps Tab inside the dialog", async () => {
    const page = await newPage();
    await page.goto(storefront.url);
    await page.getByRole("dialog").waitFor();
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => Boolean(document.activeElement?.closest(".nudge-optin__dialog")))).toBe(true);
    }
  });
});
