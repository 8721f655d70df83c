import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { action as settingsAction } from "~/routes/app.settings";
import { action as checkoutsCreate } from "~/routes/webhooks.checkouts.create";
import { action as shopUpdate } from "~/routes/webhooks.shop.update";
import { action as inbound } from "~/routes/twilio.inbound";
import { actionOutcome, adminRequest } from "../support/admin-request";
import { checkoutPayload, fixture, TEST_SHOP, webhookRequest } from "../support/shopify";
import { startTextingShop } from "../support/texting-shop";
import { twilioWebhook } from "../support/twilio";

// Issue #16: a real install stored no name, so texts were branded "nudge-test" and HELP named
// no brand and no contact. The brand defaults to the shop's name from Shopify; HELP names the
// brand and a support contact, as carriers require.

const T = new Date("2026-11-24T15:00:00Z"); // 10:00 in New York
const { prisma, dispatchCartText } = await startTextingShop(T, { rewindEachTest: true });
let seq = 0;
beforeEach(() => seq++);

const SETTINGS = { startHour: "8", endHour: "21", capPer8h: "1", capPer24h: "3", ratePerSecond: "10", segmentPrice: "0.0083", clickWindowDays: "7" };
const saveSettings = async (fields: { brandName: string; supportContact: string }) =>
  actionOutcome<{ ok: boolean; errors: Record<string, string> }>(
    await settingsAction({ request: await adminRequest("/app/settings", { form: { intent: "save", ...SETTINGS, ...fields } }), params: {}, context: {} }),
  );
const help = async (phone: string) => (await inbound({ request: twilioWebhook("/twilio/inbound", { From: phone, Body: "HELP", MessageSid: `SMhelp${seq}` }), params: {}, context: {} })).text();
async function abandonCheckout(phone: string) {
  const request = webhookRequest("checkouts/create", checkoutPayload({ token: `brand-${seq}`, createdAt: T, phone }));
  expect((await checkoutsCreate({ request, params: {}, context: {} })).status).toBe(200);
}

beforeAll(async () => {
  // What Shopify tells us about the shop: the same body as a real shop/update.
  await prisma.shop.update({ where: { domain: TEST_SHOP }, data: { name: null, contactEmail: null, detailsAt: null } });
  const body = { ...fixture("app_uninstalled"), name: "Kaffeehaus Berlin", customer_email: "hallo@kaffeehaus.example", myshopify_domain: TEST_SHOP };
  expect((await shopUpdate({ request: webhookRequest("shop/update", body), params: {}, context: {} })).status).toBe(200);
});

describe("the brand in texts", () => {
  it("is the shop's name from Shopify until the merchant sets one", async () => {
    const phone = `+1917555${2000 + seq}`;
    await abandonCheckout(phone);
    const text = (await dispatchCartText(phone)).body;
    expect(text).toContain("Kaffeehaus Berlin");
    expect(text).not.toMatch(/nudge-test/);
  });
});

describe("the HELP reply", () => {
  it("names the shop's brand and its contact email from Shopify", async () => {
    const phone = `+1917555${2000 + seq}`;
    await abandonCheckout(phone);
    expect(await help(phone)).toMatch(/<Message>Kaffeehaus Berlin: .*Help at hallo@kaffeehaus\.example\..*Reply STOP to opt out\.<\/Message>/);
  });

  it("names the brand and support contact the merchant set in Settings", async () => {
    const phone = `+1917555${2000 + seq}`;
    await abandonCheckout(phone);
    expect((await saveSettings({ brandName: "Kaffee & Co", supportContact: "+49 30 1234567" })).status).toBe(200);
    try {
      expect(await help(phone)).toMatch(/<Message>Kaffee &amp; Co: .*Help at \+49 30 1234567\./);
    } finally {
      await saveSettings({ brandName: "", supportContact: "" });
    }
  });

  it("refuses a support contact a shopper couldn't use", async () => {
    const answer = await saveSettings({ brandName: "", supportContact: "ask at the counter" });
    expect(answer.status).toBe(400);
    expect(answer.body.errors.supportContact).toMatch(/email address, a phone number or a web address/);
  });
});
