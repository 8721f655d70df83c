import { beforeEach, describe, expect, it } from "vitest";
import { action as checkoutsCreate } from "~/routes/webhooks.checkouts.create";
import { action as inbound } from "~/routes/twilio.inbound";
import { action as status } from "~/routes/twilio.status";
import { dispatchOnce } from "../support/dispatch";
import { checkoutPayload, TEST_SHOP, webhookRequest } from "../support/shopify";
import { startTextingShop } from "../support/texting-shop";
import { twilioWebhook } from "../support/twilio";

const T = new Date("2026-11-24T15:00:00Z"); // 10:00 in New York
const MIN = 60_000;
const { clock, prisma, fake, dispatchCartText } = await startTextingShop(T, { name: "Snow Devil", rewindEachTest: true });
let seq = 0;
beforeEach(() => seq++);

const call = (route: typeof status, request: Request) => route({ request, params: {}, context: {} });
async function abandonCheckout(phone: string) {
  const res = await checkoutsCreate({
    request: webhookRequest("checkouts/create", checkoutPayload({ token: `tw${seq}`, createdAt: T, phone, customerId: String(5000 + seq) })),
    params: {},
    context: {},
  });
  expect(res.status).toBe(200);
}
const shopperByPhone = (phone: string) => prisma.shopper.findFirstOrThrow({ where: { shop: TEST_SHOP, phone } });

describe("/twilio/status", () => {
  it("keeps the most advanced delivery state: a late 'sent' does not undo 'delivered'", async () => {
    const phone = `+1917555${1000 + seq}`;
    await abandonCheckout(phone);
    const { sid } = await dispatchCartText(phone);

    for (const MessageStatus of ["delivered", "sent"]) {
      const res = await call(status, twilioWebhook("/twilio/status", { MessageSid: sid, MessageStatus, AccountSid: "AC1" }));
      expect(res.status).toBe(204);
    }
    expect(await prisma.scheduledMessage.findFirstOrThrow({ where: { providerSid: sid } })).toMatchObject({
      deliveryStatus: "delivered",
      deliveredAt: new Date(T.getTime() + 20 * MIN),
    });
  });

  it("records an undelivered text with its error code", async () => {
    const phone = `+1917555${1000 + seq}`;
    await abandonCheckout(phone);
    const { sid } = await dispatchCartText(phone);
    await call(status, twilioWebhook("/twilio/status", { MessageSid: sid, MessageStatus: "undelivered", ErrorCode: "30007" }));
    expect(await prisma.scheduledMessage.findFirstOrThrow({ where: { providerSid: sid } })).toMatchObject({ deliveryStatus: "undelivered", errorCode: 30007 });
  });

  it("rejects a callback with a bad signature with 403 and changes nothing", async () => {
    const res = await call(status, twilioWebhook("/twilio/status", { MessageSid: "SMx", MessageStatus: "delivered" }, "wrong-token-wrong-token-wrong"));
    expect(res.status).toBe(403);
    expect(await prisma.scheduledMessage.count({ where: { deliveryStatus: "delivered", providerSid: "SMx" } })).toBe(0);
  });

  it("rejects a callback with no signature with 403", async () => {
    const request = new Request("https://nudge.test/twilio/status", { method: "POST", body: "MessageSid=SMx&MessageStatus=delivered" });
    expect((await call(status, request)).status).toBe(403);
  });
});

describe("/twilio/inbound", () => {
  it("opts a shopper out on STOP, cancels what is pending, tells Shopify, and sends nothing more", async () => {
    const phone = `+1917555${1000 + seq}`;
    await abandonCheckout(phone);
    const res = await call(inbound, twilioWebhook("/twilio/inbound", { From: phone, To: "+15005550006", Body: "Stop", MessageSid: `SMin${seq}` }));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');

    const shopper = await shopperByPhone(phone);
    expect(shopper.consent).toBe("revoked");
    expect(await prisma.scheduledMessage.findMany({ where: { shopperId: shopper.id } })).toEqual([expect.objectContaining({ status: "cancelled", reason: "opted_out" })]);
    expect(await prisma.consentSync.findMany({ where: { shop: TEST_SHOP, shopperId: shopper.id } })).toEqual([
      expect.objectContaining({ customerId: String(5000 + seq), state: "UNSUBSCRIBED", optInLevel: null, consentUpdatedAt: T, status: "pending" }),
    ]);

    clock.set(new Date(T.getTime() + 20 * MIN));
    await dispatchOnce(fake);
    expect(fake.messages.filter((m) => m.to === phone)).toEqual([]);
  });

  it("keeps a STOP from a number no checkout has named yet: the checkout that follows gets no text", async () => {
    const phone = `+1917555${1000 + seq}`;
    const res = await call(inbound, twilioWebhook("/twilio/inbound", { From: phone, Body: "STOP", MessageSid: `SMfirst${seq}` }));
    expect(res.status).toBe(200);
    expect((await shopperByPhone(phone)).consent).toBe("revoked");

    clock.advance(MIN);
    await abandonCheckout(phone); // Shopify's own consent record for the customer predates the STOP
    const shopper = await shopperByPhone(phone);
    expect(shopper.consent).toBe("revoked");
    expect(await prisma.scheduledMessage.count({ where: { shopperId: shopper.id, status: "scheduled" } })).toBe(0);
    clock.advance(30 * MIN);
    await dispatchOnce(fake);
    expect(fake.messages.filter((m) => m.to === phone)).toEqual([]);
  });

  it("honours Twilio's OptOutType and START re-subscribes", async () => {
    const phone = `+1917555${1000 + seq}`;
    await abandonCheckout(phone);
    await call(inbound, twilioWebhook("/twilio/inbound", { From: phone, Body: "please no more", OptOutType: "STOP", MessageSid: `SMa${seq}` }));
    expect((await shopperByPhone(phone)).consent).toBe("revoked");
    clock.advance(MIN);
    await call(inbound, twilioWebhook("/twilio/inbound", { From: phone, Body: "START", MessageSid: `SMb${seq}` }));
    const shopper = await shopperByPhone(phone);
    expect(shopper.consent).toBe("granted");
    // START re-subscribes with nothing asked in between: a single opt-in, and the latest change wins.
    expect(await prisma.consentSync.findMany({ where: { shop: TEST_SHOP, shopperId: shopper.id } })).toEqual([
      expect.objectContaining({ state: "SUBSCRIBED", optInLevel: "SINGLE_OPT_IN", consentUpdatedAt: clock.now(), status: "pending" }),
    ]);
  });

  it("answers HELP with the brand and opt-out wording", async () => {
    const phone = `+1917555${1000 + seq}`;
    await abandonCheckout(phone);
    const res = await call(inbound, twilioWebhook("/twilio/inbound", { From: phone, Body: "help", MessageSid: `SMh${seq}` }));
    expect(await res.text()).toMatch(/<Message>Snow Devil: .*Reply STOP to opt out\.<\/Message>/);
    expect((await shopperByPhone(phone)).consent).toBe("granted");
  });

  it("keeps an ordinary reply on the shopper's timeline", async () => {
    const phone = `+1917555${1000 + seq}`;
    await abandonCheckout(phone);
    await call(inbound, twilioWebhook("/twilio/inbound", { From: phone, Body: "Is the pink one in stock?", MessageSid: `SMr${seq}` }));
    const shopper = await shopperByPhone(phone);
    expect(await prisma.journeyEvent.findMany({ where: { shopperId: shopper.id, type: "sms_received" } })).toEqual([
      expect.objectContaining({ data: { body: "Is the pink one in stock?", messageSid: `SMr${seq}` } }),
    ]);
    expect(shopper.consent).toBe("granted");
  });

  it("records a 0–10 reply to the NPS question as an NPS score, but not a reply to the thank-you alone", async () => {
    const phone = `+1917555${1000 + seq}`;
    await abandonCheckout(phone);
    const shopper = await shopperByPhone(phone);
    const sent = (flow: string) => ({ shop: TEST_SHOP, shopperId: shopper.id, dedupeKey: `${flow}:1`, flow, step: 1, dueAt: T, status: "sent", sentAt: T });
    await prisma.scheduledMessage.create({ data: sent("post_purchase") });
    clock.advance(60 * MIN);
    await call(inbound, twilioWebhook("/twilio/inbound", { From: phone, Body: "9", MessageSid: `SMm${seq}` }));
    expect(await prisma.journeyEvent.count({ where: { shopperId: shopper.id, type: "nps" } })).toBe(0);

    await prisma.scheduledMessage.create({ data: { ...sent("nps_survey"), sentAt: clock.now() } });
    clock.advance(60 * MIN);
    await call(inbound, twilioWebhook("/twilio/inbound", { From: phone, Body: " 9! ", MessageSid: `SMn${seq}` }));
    expect(await prisma.journeyEvent.findMany({ where: { shopperId: shopper.id, type: "nps" } })).toEqual([expect.objectContaining({ data: { score: 9 } })]);
  });

  it("rejects a forged STOP with 403 and leaves consent alone", async () => {
    const phone = `+1917555${1000 + seq}`;
    await abandonCheckout(phone);
    await expect(call(inbound, twilioWebhook("/twilio/inbound", { From: phone, Body: "STOP", MessageSid: `SMf${seq}` }, "forged-token-forged-token-forged"))).resolves.toMatchObject({ status: 403 });
    expect((await shopperByPhone(phone)).consent).toBe("granted");
  });
});
