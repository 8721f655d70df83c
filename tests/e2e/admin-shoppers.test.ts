import { beforeAll, describe, expect, it, vi } from "vitest";
import { readFile } from "node:fs/promises";
import { DEMO_SHOP, expectNoPageErrors, SHOTS, setUpAdminHarness } from "../support/admin-browser";
import { checkoutPayload, fixture } from "../support/shopify";

// A real browser on a shared 2-core machine: a page can take tens of seconds to settle.
vi.setConfig({ testTimeout: 120_000 });

const { admin } = setUpAdminHarness();

beforeAll(async () => {
  const res = await admin.webhook("checkouts/create", checkoutPayload({ token: "e2e-admin", createdAt: new Date(), phone: "+16135550111" }));
  expect(res.status).toBe(200);
  const dataRequest = { ...fixture("customers_data_request"), shop_domain: DEMO_SHOP, customer: { id: 1, email: null, phone: "+16135550111" }, data_request: { id: 5150 } };
  expect((await admin.webhook("customers/data_request", dataRequest)).status).toBe(200);
}, 300_000);

describe("the embedded admin in a real browser: dashboard, shoppers, timeline", () => {
  it("shows the dashboard, the shopper list and a timeline, and opts a shopper out", async () => {
    const { page, errors } = await admin.newPage();
    await admin.openAdmin(page);
    expect(await page.getByText("Shoppers by journey stage").isVisible()).toBe(true);
    await page.screenshot({ path: `${SHOTS}/dashboard-one-shopper.png`, fullPage: true });

    await page.getByRole("link", { name: "Shoppers" }).first().click();
    await page.getByRole("heading", { name: "Shoppers" }).waitFor();
    await page.getByText("+16135550111").first().click();
    await page.getByRole("heading", { name: "Timeline" }).waitFor();
    expect(await page.getByText("Consent granted via checkout").count()).toBeGreaterThan(0);
    await page.screenshot({ path: `${SHOTS}/timeline.png`, fullPage: true });

    // The customer's data request: the merchant downloads what we hold, to send it on.
    await page.getByRole("heading", { name: "Data requests" }).waitFor();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download JSON" }).click()]);
    expect(download.suggestedFilename()).toBe("customer-data-5150.json");
    const file = JSON.parse(await readFile((await download.path())!, "utf8"));
    expect(file).toMatchObject({ shop: DEMO_SHOP, dataRequestId: "5150", data: { shoppers: [{ phone: "+16135550111" }] } });

    await page.getByRole("button", { name: "Opt out of texts" }).click();
    await page.getByText("Opted out. No more texts will be sent.").waitFor();
    await page.screenshot({ path: `${SHOTS}/opted-out.png`, fullPage: true });
    await expect.poll(() => page.getByText("SMS: revoked").count()).toBe(1);
    expectNoPageErrors(errors);
  });
});
