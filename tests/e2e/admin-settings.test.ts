import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoPageErrors, SHOTS, startAdminHarness, type AdminHarness } from "../support/admin-browser";

let admin: AdminHarness;

beforeAll(async () => {
  admin = await startAdminHarness();
}, 300_000);
afterAll(() => admin?.close());

describe("the embedded admin in a real browser: settings", () => {
  it("saves settings, showing a mistake inline first", async () => {
    const { page, errors } = await admin.newPage();
    await admin.openAdmin(page);
    await page.getByRole("link", { name: "Settings" }).first().click();
    await page.getByLabel("Brand name in texts").fill("Snowy Demo");
    await page.getByLabel("Stop at").fill("7");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Texts must start before they stop").waitFor();
    await page.getByLabel("Stop at").fill("20");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Settings saved.").waitFor();
    await page.screenshot({ path: `${SHOTS}/settings.png`, fullPage: true });
    await admin.openAdmin(page);
    await page.getByRole("link", { name: "Settings" }).first().click();
    expect(await page.getByLabel("Brand name in texts").inputValue()).toBe("Snowy Demo");
    expect(await page.getByLabel("Stop at").inputValue()).toBe("20");
    expectNoPageErrors(errors);
  });
});
