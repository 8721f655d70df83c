import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoPageErrors, SHOTS, startAdminHarness, type AdminHarness } from "../support/admin-browser";

let admin: AdminHarness;

beforeAll(async () => {
  admin = await startAdminHarness();
}, 300_000);
afterAll(() => admin?.close());

describe("the embedded admin in a real browser: flows", () => {
  it("edits a flow's text with a live preview and segment count, and saves it", async () => {
    const { page, errors } = await admin.newPage();
    await admin.openAdmin(page);
    await page.getByRole("link", { name: "Flows" }).first().click();
    await page.getByRole("link", { name: "Abandoned checkout" }).click();
    const preview = page.getByTestId("sms-preview");
    await preview.waitFor();
    expect(await preview.textContent()).toContain("Hey Maya!");
    expect(await page.getByTestId("segment-count").textContent()).toContain("GSM-7");

    const text = page.getByLabel("Text");
    await text.fill("Hi {{first_name}}, your cart misses you 🛒 {{checkout_link}}");
    await expect.poll(() => preview.textContent()).toContain("Hi Maya, your cart misses you 🛒");
    expect(await page.getByTestId("segment-count").textContent()).toContain("UCS-2");
    await text.fill("Hi {{first_name}} {{nickname}}");
    await page.getByText("Unknown token {{nickname}}").waitFor();
    await text.fill("Hi {{first_name}}, your cart misses you: {{checkout_link}}");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Flow saved.").waitFor();
    await page.screenshot({ path: `${SHOTS}/flow-editor.png`, fullPage: true });
    expectNoPageErrors(errors);
  });
});
