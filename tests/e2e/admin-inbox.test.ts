import twilio from "twilio";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { expectNoPageErrors, SHOTS, setUpAdminHarness } from "../support/admin-browser";
import { DEMO_TWILIO_AUTH_TOKEN as AUTH_TOKEN } from "../support/demo-twilio";
import { checkoutPayload } from "../support/shopify";

// Issue #21, item 2, in a real browser: a shopper's question reaches the inbox through a signed
// /twilio/inbound request, and the merchant's reply from the inbox reaches the shopper through
// the (fake) Twilio the app's sender points at.

// A real browser on a shared 2-core machine: a page can take tens of seconds to settle.
vi.setConfig({ testTimeout: 120_000 });

const PHONE = "+16135550177";
const { admin, fake } = setUpAdminHarness({ sender: true });

/** A text from the shopper, signed as Twilio signs it for the app's public URL. */
async function textFromShopper(body: string): Promise<Response> {
  const url = `${admin.baseUrl}/twilio/inbound`;
  const params = { From: PHONE, To: "+15005550006", Body: body, MessageSid: `SM${"e".repeat(30)}${Date.now() % 100}` };
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": twilio.getExpectedTwilioSignature(AUTH_TOKEN, url, params) },
    body: new URLSearchParams(params).toString(),
  });
}

beforeAll(async () => {
  expect((await admin.webhook("checkouts/create", checkoutPayload({ token: "e2e-inbox", createdAt: new Date(), phone: PHONE, customerId: "7177" }))).status).toBe(200);
  const res = await textFromShopper("Do you have the parka in blue?");
  expect(res.status).toBe(200);
}, 300_000);

describe("the embedded admin in a real browser: inbox", () => {
  it("shows the shopper's question with an unread count, and the merchant's reply reaches the shopper", async () => {
    const { page, errors } = await admin.newPage();
    await admin.openAdmin(page);
    // The admin's sidebar is App Bridge's <ui-nav-menu>; the demo's stand-in hides it, so its link is clicked in the page.
    const navLink = page.locator('ui-nav-menu a[href="/app/inbox"]');
    await expect.poll(() => navLink.textContent()).toBe("Inbox (1)");
    await navLink.evaluate((a: HTMLAnchorElement) => a.click());
    await page.getByRole("heading", { name: "Inbox" }).waitFor();
    await page.getByText("Do you have the parka in blue?").waitFor();
    await page.screenshot({ path: `${SHOTS}/inbox.png`, fullPage: true });

    await page.getByTestId("conversation-link").first().click();
    await page.getByRole("link", { name: "Timeline" }).waitFor();
    expect(await page.getByText("Do you have the parka in blue?").count()).toBe(1);
    await page.getByLabel("Reply").fill("Yes! Navy and sky blue, both in stock.");
    await page.getByRole("button", { name: "Send reply" }).click();
    await page.getByText("Reply sent.").waitFor();
    await expect.poll(() => fake.messages.filter((m) => m.to === PHONE && m.body.endsWith("Yes! Navy and sky blue, both in stock.")).length).toBe(1);
    // The thread shows it as ours, after their question.
    await page.getByText("You", { exact: true }).waitFor();
    await page.screenshot({ path: `${SHOTS}/inbox-thread.png`, fullPage: true });

    await page.getByRole("button", { name: "Mark done" }).click();
    await page.getByText("Marked done.").waitFor();
    expectNoPageErrors(errors);
  });
});
