import { beforeEach, describe, expect, it, vi } from "vitest";
import { action as checkoutsCreate } from "~/routes/webhooks.checkouts.create";
import { action as inbound } from "~/routes/twilio.inbound";
import { loader as inboxLoader } from "~/routes/app.inbox._index";
import { action as threadAction, loader as threadLoader } from "~/routes/app.inbox.$id";
import { loader as appLoader } from "~/routes/app";
import { action as settingsAction } from "~/routes/app.settings";
import { action as customersRedact } from "~/routes/webhooks.customers.redact";
import { dispatchOnce } from "../support/dispatch";
import { actionOutcome, adminRequest } from "../support/admin-request";
import { checkoutPayload, fixture, installShop, TEST_SHOP, webhookRequest } from "../support/shopify";
import { startTextingShop } from "../support/texting-shop";
import { twilioWebhook } from "../support/twilio";

// Issue #21, items 2 and 3, through the public surface: signed /twilio/inbound requests, the
// inbox's loaders and actions, and the dispatcher against the fake Twilio.

// The app's env (and so TWILIO_API_BASE_URL, used by the inbox's reply) is read once: start the fake first.
const fake = await vi.hoisted(async () => (await import("../support/twilio")).startFakeTwilioForApp());

const T = new Date("2026-11-24T15:00:00Z"); // 10:00 in New York
const MIN = 60_000;
const HOUR = 60 * MIN;
const { clock, prisma } = await startTextingShop(T, { name: "Snow Devil", contactEmail: "help@snowdevil.example", fake, rewindEachTest: true });
let seq = 0;
let phone: string;

const text = async (body: string) => {
  const res = await inbound({ request: twilioWebhook("/twilio/inbound", { From: phone, To: "+15005550006", Body: body, MessageSid: `SMin${seq}${clock.now().getTime()}` }), params: {}, context: {} });
  expect(res.status).toBe(200);
  return res.text();
};
const shopper = () => prisma.shopper.findFirstOrThrow({ where: { shop: TEST_SHOP, phone } });
const textsTo = () => fake.messages.filter((m) => m.to === phone);
const abandonCheckout = async () =>
  expect(
    (await checkoutsCreate({ request: webhookRequest("checkouts/create", checkoutPayload({ token: `ib${seq}`, createdAt: T, phone, customerId: String(8100 + seq) })), params: {}, context: {} }))
      .status,
  ).toBe(200);
const inbox = async () => (await inboxLoader({ request: await adminRequest("/app/inbox"), params: {}, context: {} })).conversations;
const thread = async (id: string) => threadLoader({ request: await adminRequest(`/app/inbox/${id}`), params: { id }, context: {} });
const act = async (id: string, form: Record<string, string>) =>
  actionOutcome<{ ok: boolean; message: string }>(await threadAction({ request: await adminRequest(`/app/inbox/${id}`, { form }), params: { id }, context: {} }));

beforeEach(() => {
  seq++;
  phone = `+1917555${4000 + seq}`;
});

describe("a shopper's question", () => {
  it("doesn't opt its sender out and shows, unread, at the top of /app/inbox with the count in the nav", async () => {
    await abandonCheckout();
    expect(await text("do you have this in blue?")).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    const s = await shopper();
    expect(s.consent).toBe("granted");

    const [first] = await inbox();
    expect(first).toMatchObject({ shopperId: s.id, phone, lastText: "do you have this in blue?", unread: true, done: false, possibleOptOuts: 0 });
    const nav = await appLoader({ request: await adminRequest("/app"), params: {}, context: {} });
    expect(nav.unread).toBeGreaterThanOrEqual(1);

    // Opening the thread reads it: theirs in order, with the timeline's shopper id.
    const opened = await thread(s.id);
    expect(opened.texts.map((t) => [t.direction, t.body])).toEqual([["in", "do you have this in blue?"]]);
    expect((await inbox()).find((c) => c.shopperId === s.id)).toMatchObject({ unread: false });
    expect((await appLoader({ request: await adminRequest("/app"), params: {}, context: {} })).unread).toBe(nav.unread - 1);
  });

  it("pauses the shopper's cart text for 24 hours, which goes out once the pause is over", async () => {
    await abandonCheckout();
    clock.set(new Date(T.getTime() + 5 * MIN));
    await text("is shipping free?");
    clock.set(new Date(T.getTime() + HOUR));
    await dispatchOnce(fake);
    expect(textsTo()).toEqual([]);
    const s = await shopper();
    expect(await prisma.scheduledMessage.findFirst({ where: { shopperId: s.id, flow: "cart_recovery" } })).toMatchObject({
      status: "scheduled",
      reason: "conversation_pause",
      dueAt: new Date(T.getTime() + 5 * MIN + 24 * HOUR),
    });
    clock.set(new Date(T.getTime() + 5 * MIN + 24 * HOUR + MIN));
    await dispatchOnce(fake);
    expect(textsTo()).toEqual([expect.objectContaining({ body: expect.stringContaining("Snow Devil") })]);
  });

  it("marking the conversation done ends the pause", async () => {
    await abandonCheckout();
    clock.set(new Date(T.getTime() + 5 * MIN));
    await text("is shipping free?");
    const s = await shopper();
    expect(await act(s.id, { intent: "done" })).toMatchObject({ status: 200, body: { ok: true } });
    expect((await inbox()).find((c) => c.shopperId === s.id)).toMatchObject({ done: true, unread: false });
    clock.set(new Date(T.getTime() + HOUR));
    await dispatchOnce(fake);
    expect(textsTo()).toHaveLength(1);
    // A new text reopens it.
    await text("thanks!");
    expect((await inbox()).find((c) => c.shopperId === s.id)).toMatchObject({ done: false, unread: true });
  });
});

describe("the merchant's reply", () => {
  it("goes to the shopper through the shop's sender, named by its brand, and shows in the thread", async () => {
    await abandonCheckout();
    await text("do you ship to Canada?");
    const s = await shopper();
    clock.advance(MIN);
    expect(await act(s.id, { intent: "reply", body: "Yes, we ship to Canada!" })).toMatchObject({ status: 200, body: { ok: true } });
    expect(textsTo()).toEqual([expect.objectContaining({ body: "Snow Devil: Yes, we ship to Canada!" })]);
    expect((await thread(s.id)).texts.map((t) => [t.direction, t.source, t.body])).toEqual([
      ["in", null, "do you ship to Canada?"],
      ["out", "inbox", "Snow Devil: Yes, we ship to Canada!"],
    ]);
  });

  it("is refused to a shopper who opted out, and nothing is sent", async () => {
    await abandonCheckout();
    await text("please stop texting me");
    const s = await shopper();
    expect(await act(s.id, { intent: "reply", body: "Sorry to see you go" })).toMatchObject({ status: 409, body: { ok: false } });
    expect(textsTo()).toEqual([]);
  });

  it("is a 404 for another shop's shopper or a made-up id, and a 400 when empty", async () => {
    await abandonCheckout();
    await text("hello?");
    const s = await shopper();
    expect((await act("00000000-0000-4000-8000-000000000000", { intent: "reply", body: "hi" })).status).toBe(404);
    expect((await act(s.id, { intent: "reply", body: "   " })).status).toBe(400);
    expect((await act(s.id, { intent: "nope" })).status).toBe(400);
    expect(textsTo()).toEqual([]);
  });
});

describe("a possible opt-out in the inbox", () => {
  it("is flagged, and one click on Confirm opt-out opts the shopper out", async () => {
    await abandonCheckout();
    await text("can you stop by the store?");
    const s = await shopper();
    expect((await inbox()).find((c) => c.shopperId === s.id)).toMatchObject({ possibleOptOuts: 1 });
    const [flagged] = (await thread(s.id)).texts;
    expect(flagged!.possibleOptOut).toMatchObject({ rule: expect.any(String), confirmed: false });
    expect(await act(s.id, { intent: "confirm_opt_out", eventId: flagged!.possibleOptOut!.eventId })).toMatchObject({ status: 200, body: { ok: true } });
    expect((await shopper()).consent).toBe("revoked");
    expect((await inbox()).find((c) => c.shopperId === s.id)).toMatchObject({ possibleOptOuts: 0 });
  });
});

describe("customers/redact", () => {
  it("removes the shopper's conversation and their texts from the inbox, and leaves other shoppers' alone", async () => {
    await abandonCheckout();
    await text("where is my parcel?");
    const s = await shopper();
    const others = (await inbox()).filter((c) => c.shopperId !== s.id).length;
    expect(others).toBeGreaterThan(0);
    const redact = { ...fixture("customers_redact"), shop_domain: TEST_SHOP, customer: { id: 8100 + seq, email: null, phone } };
    expect((await customersRedact({ request: webhookRequest("customers/redact", redact), params: {}, context: {} })).status).toBe(200);
    expect(await prisma.conversation.count({ where: { shop: TEST_SHOP, shopperId: s.id } })).toBe(0);
    expect((await inbox()).map((c) => c.shopperId)).not.toContain(s.id);
    expect((await inbox()).length).toBe(others);
  });
});

describe("keyword sign-up", () => {
  it("JOIN gets a double opt-in confirmation; Y subscribes with the evidence and the welcome text goes out", async () => {
    const twiml = await text("join");
    for (const part of ["Snow Devil", "Reply Y", "Msg &amp; data rates may apply", "HELP", "STOP"]) expect(twiml).toContain(part);
    // The request is not consent.
    const s = await shopper();
    expect(s.consent).toBe("pending");
    // A number Shopify knows as a customer (only those have a consent record there to update).
    await prisma.shopper.update({ where: { id: s.id }, data: { customerId: `81${seq}` } });
    clock.set(new Date(T.getTime() + 2 * HOUR));
    await dispatchOnce(fake);
    expect(textsTo()).toEqual([]);

    clock.set(new Date(T.getTime() + 2 * HOUR + MIN));
    expect(await text("Y")).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect((await shopper()).consent).toBe("granted");
    expect(await prisma.consent.findMany({ where: { shopperId: s.id }, orderBy: { collectedAt: "asc" } })).toEqual([
      expect.objectContaining({ status: "confirmed", source: "keyword", phone, collectedAt: T, messageText: "join", matchedRule: "keyword:JOIN", messageSid: expect.stringMatching(/^SMin/) }),
      expect.objectContaining({
        status: "granted",
        source: "sms",
        phone,
        collectedAt: clock.now(),
        messageText: "join",
        matchedRule: "keyword:JOIN",
        disclosureText: expect.stringContaining("Reply Y"),
      }),
    ]);
    // Shopify is told: a confirmed opt-in.
    expect(await prisma.consentSync.findFirst({ where: { shopperId: s.id } })).toMatchObject({ state: "SUBSCRIBED", optInLevel: "CONFIRMED_OPT_IN" });

    clock.advance(HOUR);
    await dispatchOnce(fake);
    expect(textsTo()).toEqual([expect.objectContaining({ body: expect.stringContaining("Snow Devil") })]);
    expect(await prisma.scheduledMessage.findFirst({ where: { shopperId: s.id, status: "sent" } })).toMatchObject({ flow: "welcome" });
  });

  it("answers the shop's own keyword, set in Settings, and JOIN no longer signs up", async () => {
    const save = async (form: Record<string, string>) =>
      actionOutcome<{ ok: boolean; errors: Record<string, string> }>(await settingsAction({ request: await adminRequest("/app/settings", { form }), params: {}, context: {} }));
    const base = { intent: "save", brandName: "", startHour: "8", endHour: "21", capPer8h: "1", capPer24h: "3", ratePerSecond: "10", segmentPrice: "0.0083", clickWindowDays: "7" };
    expect(await save({ ...base, signupKeyword: "stop" })).toMatchObject({ status: 400, body: { errors: { signupKeyword: expect.stringContaining("carrier keyword") } } });
    // Another shop on the app's shared number already answers to SNOW.
    await installShop("other-shop.myshopify.com", { name: "Other" });
    await prisma.shop.update({ where: { domain: "other-shop.myshopify.com" }, data: { settings: { sending: { signupKeyword: "SNOW" } } } });
    expect(await save({ ...base, signupKeyword: "snow" })).toMatchObject({ status: 400, body: { errors: { signupKeyword: expect.stringContaining("SNOW") } } });
    expect(await save({ ...base, signupKeyword: "devil", conversationPauseHours: "12" })).toMatchObject({ status: 200 });
    await prisma.shop.delete({ where: { domain: "other-shop.myshopify.com" } });

    expect(await text("JOIN")).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect(await text("Devil!")).toContain("Reply Y");
    expect((await shopper()).consent).toBe("pending");
  });
});
