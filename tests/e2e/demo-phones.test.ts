import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { expectNoPageErrors, SHOTS, startAdminHarness, type AdminHarness } from "../support/admin-browser";

// A real browser on a shared 2-core machine: a page can take tens of seconds to settle.
vi.setConfig({ testTimeout: 120_000 });

// `npm run demo` with its simulated shoppers: texts reach the phones page, a text's link
// leads through the real short link to the local checkout stand-in, and the dashboard fills.
let admin: AdminHarness;

beforeAll(async () => {
  admin = await startAdminHarness({}, { simulate: true, args: ["--seed", "11", "--shoppers", "30", "--days", "1", "--time-scale", "1500"] });
}, 180_000);

afterAll(() => admin?.close());

describe("the demo's phones and store simulators", () => {
  it("shows texts arriving on the shoppers' phones, and a tap on a link lands on the local checkout with the code", async () => {
    const { page, errors } = await admin.newPage();
    await page.goto(`${admin.baseUrl}/demo/phones`);
    await page.getByRole("heading", { name: "Shoppers' phones" }).waitFor();
    // A cart text's link (the merchant's campaign, sent as the run starts, links to the store's home page).
    const link = page.locator('[data-testid="bubble"]', { hasNotText: "weekend trail sale" }).locator('a[href*="/r/"]').first();
    await link.waitFor({ timeout: 60_000 });
    await page.waitForTimeout(1_500); // a few more phones, for the screenshot
    await page.screenshot({ path: `${SHOTS}/phones.png`, fullPage: false });
    expect(await page.locator('[data-testid="bubble"]').count()).toBeGreaterThan(0);
    expect(await link.getAttribute("href")).toMatch(new RegExp(`^${admin.baseUrl}/r/[0-9A-Za-z]{10}$`));

    const [checkout] = await Promise.all([page.context().waitForEvent("page"), link.click()]);
    await checkout.waitForLoadState();
    expect(checkout.url()).toMatch(new RegExp(`^${admin.baseUrl}/demo/store/checkouts/cn/[0-9a-z]+/recover`));
    await checkout.getByRole("heading", { name: "Checkout" }).waitFor();
    expect(await checkout.getByTestId("discount").textContent()).toMatch(/Discount NUDGE-[A-Z0-9]{8} applied \(10% off\)/);
    await checkout.screenshot({ path: `${SHOTS}/phones-checkout.png` });
    expectNoPageErrors(errors);
  });

  it("fills the dashboard: texts sent is no longer zero", async () => {
    const { page, errors } = await admin.newPage();
    await admin.openAdmin(page);
    const value = page.locator("p:text-is('Texts sent')").locator("xpath=following-sibling::p[1]");
    await expect.poll(async () => Number((await value.textContent())?.replace(/\D/g, "") || 0), { timeout: 30_000 }).toBeGreaterThan(0);
    expectNoPageErrors(errors);
  }, 120_000);

  it("keeps the simulators out of the production server build", () => {
    const server = readFileSync("build/server/index.js", "utf8");
    for (const name of ["startPhoneSimulator", "runStoreSimulator", "planScenario", "followAppClock", "startDemoShopify"]) expect(server).not.toContain(name);
  });
});
