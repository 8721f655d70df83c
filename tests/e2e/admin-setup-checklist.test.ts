import { describe, expect, it, vi } from "vitest";
import { expectNoPageErrors, SHOTS, setUpAdminHarness } from "../support/admin-browser";

// A real browser on a shared 2-core machine: a page can take tens of seconds to settle.
vi.setConfig({ testTimeout: 120_000 });

const EMBED_STEP = 'Turn on the "Nudge SMS sign-up" app embed in your theme';
const { admin } = setUpAdminHarness();

describe("the home page's setup checklist in a real browser", () => {
  it("ticks the app embed step when App Bridge's shopify.app.extensions() reports the embed active", async () => {
    const { page, errors } = await admin.newPage();
    await admin.openAdmin(page);
    await page.locator('[data-embed-state="on"]').waitFor();
    expect(await page.locator('[data-embed-state="on"]').innerText()).toBe(`✓ ${EMBED_STEP}`);
    expect(await page.getByRole("link", { name: "Turn it on in the theme editor" }).count()).toBe(0);
    expectNoPageErrors(errors);
  });

  it("leaves it unticked with a theme-editor link that switches the embed on when the embed is inactive", async () => {
    const { page, errors } = await admin.newPage();
    // The same stand-in, answering that the embed is available but not switched on.
    await page.route("**/demo/app-bridge.js", async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, body: (await response.text()).replaceAll('\\"active\\"', '\\"available\\"') });
    });
    await admin.openAdmin(page);
    await page.locator('[data-embed-state="off"]').waitFor();
    expect(await page.locator('[data-embed-state="off"]').innerText()).toBe(`○ ${EMBED_STEP}`);
    const href = await page.getByRole("link", { name: "Turn it on in the theme editor" }).getAttribute("href");
    expect(href).toMatch(/^https:\/\/nudge-demo\.myshopify\.com\/admin\/themes\/current\/editor\?context=apps&activateAppId=[^/&]+\/optin-popup$/);
    await page.screenshot({ path: `${SHOTS}/setup-checklist-embed-off.png`, fullPage: true });
    expectNoPageErrors(errors);
  });
});
