import { beforeAll, describe, expect, it, vi } from "vitest";
import { expectNoPageErrors, SHOTS, setUpAdminHarness } from "../support/admin-browser";
import { daytimePhones } from "../support/daytime-phones";
import { checkoutPayload } from "../support/shopify";

// A real browser on a shared 2-core machine: a page can take tens of seconds to settle.
vi.setConfig({ testTimeout: 180_000 });

// Issue #19, done when: in a real browser on the demo's admin, a merchant creates a campaign for
// all SMS subscribers and presses Send now. Every subscriber outside the control group gets it
// once (the demo's in-process dispatcher, a fake Twilio); no shopper without consent does.
const SUBSCRIBERS = 12;
const WITHOUT_CONSENT = 4;
const { admin, fake } = setUpAdminHarness({ sender: true });
let subscribers: string[];
let withoutConsent: string[];

beforeAll(async () => {
  // Shoppers made the way a shop makes them: signed checkout webhooks, with and without SMS
  // consent, in a zone where it is daytime (quiet hours would hold the texts). Their cart texts
  // are 20 minutes away on the demo's clock, long after this test.
  const phones = daytimePhones(new Date(), SUBSCRIBERS + WITHOUT_CONSENT);
  subscribers = phones.slice(0, SUBSCRIBERS);
  withoutConsent = phones.slice(SUBSCRIBERS);
  for (const [i, phone] of phones.entries()) {
    const payload = checkoutPayload({ token: `camp-${i}`, createdAt: new Date(), phone, customerId: String(8000 + i), buyer_accepts_sms_marketing: i < SUBSCRIBERS });
    expect((await admin.webhook("checkouts/create", payload)).status).toBe(200);
  }
}, 300_000);

describe("campaigns in a real browser", () => {
  it("sends a campaign to all SMS subscribers: each outside the control group gets it once, nobody without consent does", async () => {
    const { page, errors } = await admin.newPage();
    await admin.openAdmin(page);
    // In the app's navigation (the admin's sidebar; the demo's App Bridge stand-in hides it), and on the dashboard.
    expect(await page.locator('ui-nav-menu a[href="/app/campaigns"]').textContent()).toBe("Campaigns");
    await page.getByRole("link", { name: "Campaigns" }).first().click();
    await page.getByRole("link", { name: "New campaign" }).first().click();

    await page.getByLabel("Campaign name").fill("Winter sale");
    await page.getByLabel("Audience").selectOption({ label: "All SMS subscribers" });
    const message = page.getByLabel("Message", { exact: true });
    await message.fill("Hi {{first_name}}, our winter sale starts now 🎉 {{checkout_link}}");
    const preview = page.getByTestId("sms-preview");
    await expect.poll(() => preview.textContent()).toContain("our winter sale starts now 🎉");
    expect(await page.getByTestId("segment-count").textContent()).toContain("UCS-2");
    await message.fill("Hi {{first_name}}, our winter sale starts now: {{checkout_link}}");
    await expect.poll(() => page.getByTestId("segment-count").textContent()).toContain("GSM-7");
    // Reach and cost before sending.
    await expect.poll(() => page.getByTestId("campaign-reach").textContent(), { timeout: 20_000 }).toBe(`${SUBSCRIBERS} subscribers with SMS consent`);
    expect(await page.getByTestId("campaign-estimate").textContent()).toMatch(/^About 11 texts, 1 in the control group · \d+ segments · about \$\d+\.\d\d$/);
    await page.screenshot({ path: `${SHOTS}/campaign-composer.png`, fullPage: true });

    await page.getByRole("button", { name: "Send now" }).click();
    const confirm = page.getByRole("button", { name: "Send", exact: true });
    if (await confirm.isVisible().catch(() => false)) await confirm.click();
    await page.getByRole("heading", { name: "Winter sale" }).waitFor({ timeout: 30_000 });

    // The dispatcher runs in the demo's process; the results refresh themselves until nothing is waiting.
    const metric = async (label: string) => Number((await page.getByTestId(`metric-${label}`).textContent())?.replace(/\D/g, "") || "NaN");
    await expect.poll(() => metric("Waiting"), { timeout: 60_000 }).toBe(0);
    const held = await metric("Control group");
    expect(await metric("Recipients")).toBe(SUBSCRIBERS);
    expect(await metric("Sent")).toBe(SUBSCRIBERS - held);
    await page.screenshot({ path: `${SHOTS}/campaign-results.png`, fullPage: true });

    const campaignTexts = fake.messages.filter((m) => m.body.includes("our winter sale starts now"));
    const to = campaignTexts.map((m) => m.to);
    expect(new Set(to).size).toBe(to.length);
    expect(to).toHaveLength(SUBSCRIBERS - held);
    for (const phone of to) expect(subscribers).toContain(phone);
    for (const phone of withoutConsent) expect(fake.messages.map((m) => m.to)).not.toContain(phone);
    expect(campaignTexts[0]!.body).toMatch(/Reply STOP to opt out$/);

    await page.getByRole("link", { name: "Campaigns" }).first().click();
    await page.getByRole("cell", { name: "Winter sale" }).waitFor();
    expectNoPageErrors(errors);
  });
});
