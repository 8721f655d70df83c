import { beforeEach, describe, expect, it } from "vitest";
import { action as checkoutsCreate } from "~/routes/webhooks.checkouts.create";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { dispatchOnce } from "../support/dispatch";
import { checkoutPayload, orderPayload, TEST_SHOP, webhookRequest } from "../support/shopify";
import { startTextingShop } from "../support/texting-shop";

// 10:00 in New York: daytime for the +1 212 numbers used here.
const T = new Date("2026-11-24T15:00:00Z");
const MIN = 60_000;
const HOUR = 60 * MIN;
const { clock, prisma, fake } = await startTextingShop(T, { name: "Snow Devil", rewindEachTest: true });
let seq = 0;
beforeEach(() => seq++);

const post = (route: typeof checkoutsCreate, topic: string, payload: unknown) => route({ request: webhookRequest(topic, payload), params: {}, context: {} });
const textsTo = (phone: string) => fake.messages.filter((m) => m.to === phone);
const messagesOf = async (phone: string) =>
  prisma.scheduledMessage.findMany({ where: { shop: TEST_SHOP, shopperId: (await prisma.shopper.findFirstOrThrow({ where: { phone } })).id }, orderBy: { dedupeKey: "asc" } });

describe("sending the abandoned-checkout flow", () => {
  it("texts a consenting US shopper once, 20 minutes after abandoning, with name, link, brand and STOP wording", async () => {
    const phone = `+1212555${1000 + seq}`;
    await post(checkoutsCreate, "checkouts/create", checkoutPayload({ token: `t${seq}`, createdAt: T, phone }));

    clock.set(new Date(T.getTime() + 19 * MIN));
    expect((await dispatchOnce(fake)).claimed).toBe(0);

    clock.set(new Date(T.getTime() + 20 * MIN));
    expect(await dispatchOnce(fake)).toMatchObject({ claimed: 1, sent: 1 });
    const [text] = textsTo(phone);
    expect(text!.body).toContain("Hey John!");
    expect(text!.body).toContain("Snow Devil");
    expect(text!.body).toContain("https://checkout.local/");
    expect(text!.body).toMatch(/Reply STOP to opt out$/);
    expect(text!.statusCallback).toBe("https://nudge.test/twilio/status");

    const [row] = await messagesOf(phone);
    expect(row).toMatchObject({ status: "sent", providerSid: text!.sid, body: text!.body, segments: expect.any(Number), encoding: "GSM-7" });

    clock.set(new Date(T.getTime() + 30 * HOUR));
    await dispatchOnce(fake);
    expect(textsTo(phone)).toHaveLength(1);
  });

  it("gives a UK shopper the later steps, and none after they order", async () => {
    const phone = `+4479111${String(seq).padStart(5, "0")}`;
    await post(checkoutsCreate, "checkouts/create", checkoutPayload({ token: `t${seq}`, cartToken: `c${seq}`, createdAt: T, phone }));
    clock.set(new Date(T.getTime() + 20 * MIN));
    expect(await dispatchOnce(fake)).toMatchObject({ sent: 1 });

    clock.set(new Date(T.getTime() + 2 * HOUR));
    await post(ordersCreate, "orders/create", orderPayload({ id: `77${seq}`, checkoutToken: `t${seq}`, createdAt: new Date(T.getTime() + 2 * HOUR) }));
    clock.set(new Date(T.getTime() + 24 * HOUR + 20 * MIN));
    await dispatchOnce(fake);
    expect(textsTo(phone)).toHaveLength(1);
    const rows = await messagesOf(phone);
    expect(rows.filter((r) => r.flow === "cart_recovery").map((r) => [r.dedupeKey, r.status])).toEqual([
      [`cart:t${seq}:1`, "sent"],
      [`cart:t${seq}:2`, "cancelled"],
      [`cart:t${seq}:3`, "cancelled"],
    ]);
  });

  it("sends nothing to a shopper without consent", async () => {
    const phone = `+1212555${1000 + seq}`;
    await post(checkoutsCreate, "checkouts/create", checkoutPayload({ token: `t${seq}`, createdAt: T, phone, buyer_accepts_sms_marketing: false }));
    clock.set(new Date(T.getTime() + 2 * HOUR));
    await dispatchOnce(fake);
    expect(textsTo(phone)).toEqual([]);
  });

  it("holds a text that falls due at 22:40 in the shopper's zone until 8am there", async () => {
    const phone = `+1212555${1000 + seq}`;
    const evening = new Date("2026-11-25T03:20:00Z"); // 22:20 in New York
    clock.set(evening);
    await post(checkoutsCreate, "checkouts/create", checkoutPayload({ token: `t${seq}`, createdAt: evening, phone }));
    clock.set(new Date(evening.getTime() + 20 * MIN));
    expect(await dispatchOnce(fake)).toMatchObject({ claimed: 1, deferred: 1, sent: 0 });
    expect((await messagesOf(phone))[0]).toMatchObject({ status: "scheduled", reason: "quiet_hours", dueAt: new Date("2026-11-25T13:00:00Z") });

    clock.set(new Date("2026-11-25T13:00:00Z"));
    expect(await dispatchOnce(fake)).toMatchObject({ sent: 1 });
    expect(textsTo(phone)).toHaveLength(1);
  });

  it("marks the shopper opted out when Twilio answers 21610", async () => {
    const phone = `+1212555${1000 + seq}`;
    await post(checkoutsCreate, "checkouts/create", checkoutPayload({ token: `t${seq}`, createdAt: T, phone }));
    fake.script(phone, { kind: "error", status: 400, code: 21610, message: "Attempt to send to unsubscribed recipient" });
    clock.set(new Date(T.getTime() + 20 * MIN));
    expect(await dispatchOnce(fake)).toMatchObject({ failed: 1 });
    expect((await messagesOf(phone))[0]).toMatchObject({ status: "failed", reason: "opted_out", errorCode: 21610 });
    expect(await prisma.shopper.findFirstOrThrow({ where: { phone } })).toMatchObject({ consent: "revoked" });
  });

  it("puts a text back with a backoff when Twilio keeps answering 503", async () => {
    const phone = `+1212555${1000 + seq}`;
    await post(checkoutsCreate, "checkouts/create", checkoutPayload({ token: `t${seq}`, createdAt: T, phone }));
    fake.script(phone, { kind: "error", status: 503 }, 3);
    const now = new Date(T.getTime() + 20 * MIN);
    clock.set(now);
    expect(await dispatchOnce(fake)).toMatchObject({ retry: 1 });
    const [row] = await messagesOf(phone);
    expect(row).toMatchObject({ status: "scheduled", attempts: 1 });
    expect(row!.dueAt.getTime()).toBeGreaterThan(now.getTime());
    clock.set(row!.dueAt);
    expect(await dispatchOnce(fake)).toMatchObject({ sent: 1 });
    expect(textsTo(phone)).toHaveLength(1);
  });
});
