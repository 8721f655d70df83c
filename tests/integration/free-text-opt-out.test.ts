import { beforeEach, describe, expect, it } from "vitest";
import { database } from "~/db.server";
import { action as checkoutsCreate } from "~/routes/webhooks.checkouts.create";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as inbound } from "~/routes/twilio.inbound";
import { confirmPossibleOptOut, listPossibleOptOuts } from "~/services/possible-opt-out.server";
import { shopperTimeline } from "~/services/shopper-directory.server";
import { dispatchOnce } from "../support/dispatch";
import { checkoutPayload, orderPayload, TEST_SHOP, webhookRequest } from "../support/shopify";
import { startTextingShop } from "../support/texting-shop";
import { twilioWebhook } from "../support/twilio";

// Issue #21, item 1: since April 11, 2025 the FCC's TCPA rule lets a shopper revoke consent "by
// any reasonable means" (47 CFR § 64.1200(a)(10)). An opt-out in the shopper's own words, texted
// to /twilio/inbound, stops every text after it, with its evidence kept; an ordinary question
// doesn't; an ambiguous one waits for the merchant. Item 4: HELP names the brand and a contact.

const T = new Date("2026-11-24T15:00:00Z"); // 10:00 in New York
const MIN = 60_000;
const HOUR = 60 * MIN;
const { clock, prisma, fake } = await startTextingShop(T, { name: "Snow Devil", contactEmail: "help@snowdevil.example", rewindEachTest: true });
let seq = 0;
let phone: string;

const text = async (body: string, extra: Record<string, string> = {}) => {
  const res = await inbound({
    request: twilioWebhook("/twilio/inbound", { From: phone, To: "+15005550006", Body: body, MessageSid: `SMft${seq}${clock.now().getTime()}`, ...extra }),
    params: {},
    context: {},
  });
  expect(res.status).toBe(200);
  return res.text();
};
const post = async (route: typeof checkoutsCreate, topic: string, payload: unknown) => expect((await route({ request: webhookRequest(topic, payload), params: {}, context: {} })).status).toBe(200);
const shopper = () => prisma.shopper.findFirstOrThrow({ where: { shop: TEST_SHOP, phone } });
const textsTo = () => fake.messages.filter((m) => m.to === phone);

/** A consenting shopper abandons a checkout, replies `body`, then orders: what do they get? */
async function replyThenOrder(body: string) {
  await post(checkoutsCreate, "checkouts/create", checkoutPayload({ token: `ft${seq}`, createdAt: T, phone, customerId: String(7100 + seq) }));
  clock.set(new Date(T.getTime() + 5 * MIN));
  const twiml = await text(body);
  clock.set(new Date(T.getTime() + HOUR));
  await post(ordersCreate, "orders/create", orderPayload({ id: `71${seq}`, checkoutToken: `ft${seq}`, createdAt: clock.now() }));
  // The thank-you (post-purchase) text falls due a day after the order.
  clock.set(new Date(T.getTime() + 25 * HOUR + MIN));
  await dispatchOnce(fake);
  return twiml;
}

beforeEach(() => {
  seq++;
  phone = `+1917555${3000 + seq}`;
});

describe("an opt-out in the shopper's own words", () => {
  it.each([
    ["please stop texting me", "phrase:stop_texting"],
    ["Stop.", "keyword:STOP"],
    ["UNSUBSCRIBE ME", "keyword:UNSUBSCRIBE"],
    ["stop sending these pls", "phrase:stop_texting"],
  ])("%j opts the shopper out: a later order brings no thank-you text", async (body, rule) => {
    const twiml = await replyThenOrder(body);

    expect(textsTo()).toEqual([]);
    const s = await shopper();
    expect(s.consent).toBe("revoked");
    expect(await prisma.scheduledMessage.count({ where: { shopperId: s.id, status: "scheduled" } })).toBe(0);
    // The evidence: the message, the rule that read it, and the time, on the consent record.
    expect(await prisma.consent.findMany({ where: { shopperId: s.id, status: "revoked" } })).toEqual([
      expect.objectContaining({ source: "sms", collectedAt: new Date(T.getTime() + 5 * MIN), messageText: body, matchedRule: rule, messageSid: expect.stringMatching(/^SMft/) }),
    ]);
    // The shopper's timeline shows it to the merchant.
    const timeline = await shopperTimeline({ prisma, sql: (await database()).sql }, TEST_SHOP, s.id);
    expect(timeline!.entries).toContainEqual(expect.objectContaining({ kind: "consent", title: "Consent revoked via sms", detail: `texted "${body}" (${rule})` }));
    // Twilio answers only a bare keyword itself: this one is ours to confirm, once.
    expect(twiml).toBe(`<?xml version="1.0" encoding="UTF-8"?><Response><Message>Snow Devil: You're unsubscribed and will get no more texts from us. Reply START to resubscribe.</Message></Response>`);
  });

  it("a question doesn't opt its sender out: the order brings the thank-you text", async () => {
    const twiml = await replyThenOrder("do you have this in blue?");
    expect(twiml).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect((await shopper()).consent).toBe("granted");
    expect(textsTo()).toEqual([expect.objectContaining({ body: expect.stringContaining("Snow Devil") })]);
    const [reply] = await prisma.journeyEvent.findMany({ where: { shopperId: (await shopper()).id, type: "sms_received" } });
    expect(reply!.data).toEqual({ body: "do you have this in blue?", messageSid: expect.any(String) });
  });

  it("a bare STOP, which Twilio confirms itself, gets no second confirmation from us", async () => {
    await post(checkoutsCreate, "checkouts/create", checkoutPayload({ token: `ft${seq}`, createdAt: T, phone }));
    expect(await text("STOP", { OptOutType: "STOP" })).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect(await text("Unsubscribe")).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect((await shopper()).consent).toBe("revoked");
  });

  it("a shopper already opted out gets no second confirmation", async () => {
    await post(checkoutsCreate, "checkouts/create", checkoutPayload({ token: `ft${seq}`, createdAt: T, phone }));
    expect(await text("please stop texting me")).toContain("<Message>");
    clock.advance(MIN);
    expect(await text("I said stop texting me!!")).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
  });
});

describe("a possible opt-out", () => {
  it("is not an opt-out: it is kept flagged for the merchant, who confirms it with one call", async () => {
    await post(checkoutsCreate, "checkouts/create", checkoutPayload({ token: `ft${seq}`, createdAt: T, phone }));
    clock.set(new Date(T.getTime() + 5 * MIN));
    expect(await text("can you stop by the store?")).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    const s = await shopper();
    expect(s.consent).toBe("granted");
    expect(await prisma.scheduledMessage.count({ where: { shopperId: s.id, status: "scheduled" } })).toBe(1);

    const { sql } = await database();
    const flagged = (await listPossibleOptOuts(sql, TEST_SHOP)).filter((p) => p.shopperId === s.id);
    expect(flagged).toEqual([{ eventId: expect.any(String), shopperId: s.id, phone, consent: "granted", body: "can you stop by the store?", rule: "in_sentence:STOP", receivedAt: clock.now() }]);
    const timeline = await shopperTimeline({ prisma, sql }, TEST_SHOP, s.id);
    expect(timeline!.entries).toContainEqual(expect.objectContaining({ title: "Replied", detail: '"can you stop by the store?" · possible opt-out (in_sentence:STOP)' }));
    // Another shop can't confirm it.
    expect(await confirmPossibleOptOut(sql, "other-shop.myshopify.com", flagged[0]!.eventId, clock.now())).toBe("not_found");

    clock.advance(10 * MIN);
    expect(await confirmPossibleOptOut(sql, TEST_SHOP, flagged[0]!.eventId, clock.now())).toBe("opted_out");
    expect((await shopper()).consent).toBe("revoked");
    expect(await prisma.scheduledMessage.findMany({ where: { shopperId: s.id } })).toEqual([expect.objectContaining({ status: "cancelled", reason: "opted_out" })]);
    expect(await prisma.consent.findMany({ where: { shopperId: s.id, status: "revoked" } })).toEqual([
      expect.objectContaining({ source: "sms", collectedAt: new Date(T.getTime() + 5 * MIN), messageText: "can you stop by the store?", matchedRule: "merchant_confirmed:in_sentence:STOP" }),
    ]);
    expect(await confirmPossibleOptOut(sql, TEST_SHOP, flagged[0]!.eventId, clock.now())).toBe("already_confirmed");
    expect((await listPossibleOptOuts(sql, TEST_SHOP)).filter((p) => p.shopperId === s.id)).toEqual([]);
    expect(await confirmPossibleOptOut(sql, TEST_SHOP, "not-a-number", clock.now())).toBe("not_found");
  });
});

describe("HELP", () => {
  it("answers with the brand, a contact and how to stop", async () => {
    await post(checkoutsCreate, "checkouts/create", checkoutPayload({ token: `ft${seq}`, createdAt: T, phone }));
    expect(await text("HELP")).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Snow Devil: recurring marketing texts. Help at help@snowdevil.example. Msg &amp; data rates may apply. Reply STOP to opt out.</Message></Response>',
    );
    expect((await shopper()).consent).toBe("granted");
  });
});
