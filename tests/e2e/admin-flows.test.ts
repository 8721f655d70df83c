import { describe, expect, it, vi } from "vitest";
import { expectNoPageErrors, SHOTS, setUpAdminHarness } from "../support/admin-browser";

// A real browser on a shared 2-core machine: a page can take tens of seconds to settle.
vi.setConfig({ testTimeout: 120_000 });

const { admin } = setUpAdminHarness();

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

    const text = page.getByLabel("Text", { exact: true });
    await text.fill("Hi {{first_name}}, your cart misses you 🛒 {{checkout_link}}");
    await expect.poll(() => preview.textContent()).toContain("Hi Maya, your cart misses you 🛒");
    expect(await page.getByTestId("segment-count").textContent()).toContain("UCS-2");
    await text.fill("Hi {{first_name}} {{nickname}}");
    await page.getByText("Unknown token {{nickname}}").waitFor();
    await text.fill("Hi {{first_name}}, your cart misses you: {{checkout_link}}");

    // Timing: a second text before the first is refused inline, then fixed.
    await page.getByRole("button", { name: "Remove text 3" }).click();
    expect(await page.getByRole("button", { name: "Add a text" }).isVisible()).toBe(true);
    await page.getByLabel("Text 2: send after the checkout is left").fill("10");
    await page.getByLabel("Text 2: unit").selectOption("minutes");
    await page.getByText("Each text must come after the one before").waitFor();
    expect(await page.getByRole("button", { name: "Save" }).isDisabled()).toBe(true);
    await page.getByLabel("Text 2: unit").selectOption("hours");

    // An A/B variant, previewed when in focus.
    await page.getByRole("button", { name: "Add an A/B variant" }).click();
    await page.getByLabel("Text B").fill("{{first_name}}, {{shop_name}} saved your cart: {{checkout_link}}");
    await expect.poll(() => preview.textContent()).toContain("Maya, Nudge Demo Store saved your cart");
    await page.getByLabel("Shoppers held out of this flow").fill("20");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Flow saved.").waitFor();
    await page.screenshot({ path: `${SHOTS}/flow-editor.png`, fullPage: true });

    await page.getByRole("link", { name: "Flows" }).first().click();
    await page.getByText("A/B test: 2 texts").waitFor();
    expect(await page.getByText("20% control group").isVisible()).toBe(true);
    expect(await page.getByText("Sends 20 minutes, then 10 hours").isVisible()).toBe(true);
    await page.screenshot({ path: `${SHOTS}/flows.png`, fullPage: true });
    expectNoPageErrors(errors);
  });

  it("edits the abandoned-cart flow: the product named in the preview, one text, its window, saved (issue #18)", async () => {
    const { page, errors } = await admin.newPage();
    await admin.openAdmin(page);
    await page.getByRole("link", { name: "Flows" }).first().click();
    await page.getByRole("link", { name: "Browse abandonment" }).waitFor();
    await page.getByRole("link", { name: "Abandoned cart" }).click();
    const preview = page.getByTestId("sms-preview");
    await preview.waitFor();
    expect(await preview.textContent()).toContain("Wool Beanie is still in your cart");
    expect(await page.getByRole("button", { name: "Add a text" }).count()).toBe(0);
    await page.getByLabel("Send after the last add to cart").fill("3");
    await page.getByLabel("No cart text later than").fill("2");
    await page.getByText("This is after the 2-hour window, so it would never be sent").waitFor();
    await page.getByLabel("No cart text later than").fill("24");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Flow saved.").waitFor();
    await page.screenshot({ path: `${SHOTS}/flow-editor-cart.png`, fullPage: true });
    expectNoPageErrors(errors);
  });

  it("runs the journey simulator: a late-night Florida abandonment waits for 8am, is clicked, and converts", async () => {
    const { page, errors } = await admin.newPage();
    await admin.openAdmin(page);
    await page.getByRole("link", { name: "Flows" }).first().click();
    await page.getByRole("link", { name: "Journey simulator" }).click();
    await page.getByRole("heading", { name: "Journey simulator" }).waitFor();
    await page.getByRole("button", { name: "Run simulation" }).click();
    const summary = page.getByTestId("simulation-summary");
    await summary.waitFor();
    expect(await summary.textContent()).toContain("America/New_York (US); texts only 8:00–20:00");
    expect(await page.getByText("waits until").first().textContent()).toMatch(/8:00 AM: quiet hours where the shopper is/);
    expect(await page.getByText("Sent (text 1)").isVisible()).toBe(true);
    expect(await page.getByText("Clicks the link in text 1").isVisible()).toBe(true);
    await page.screenshot({ path: `${SHOTS}/simulator.png`, fullPage: true });

    // A bad number is answered inline, not with an error page.
    await page.getByLabel("Shopper's phone").fill("12345");
    await page.getByRole("button", { name: "Run simulation" }).click();
    await page.getByText("Enter a valid number with its country code").waitFor();
    expectNoPageErrors(errors);
  });
});
