import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fixedClock, setClock } from "~/clock.server";
import { database } from "~/db.server";
import { action as checkoutsCreate } from "~/routes/webhooks.checkouts.create";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as inbound } from "~/routes/twilio.inbound";
import { engagementMetrics } from "~/services/engagement-metrics.server";
import { startFakeTwilio, type FakeTwilio } from "../mocks/twilio";
import { dispatchOnce } from "../support/dispatch";
import { checkoutPayload, installShop, orderPayload, TEST_SHOP, webhookRequest } from "../support/shopify";
import { twilioWebhook } from "../support/twilio";

// Issue #17, item 2: the post-purchase journey asks the NPS question as its own text, and the
// shopper's 0–10 reply, through a signed /twilio/inbound webhook, feeds the dashboard's NPS card.

const T = new Date("2026-11-24T15:00:00Z"); // 10:00 in New York
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const clock = fixedClock(T);
let prisma: PrismaClient;
let fake: FakeTwilio;
let seq = 0;

const call = (route: typeof inbound, request: Request) => route({ request, params: {}, context: {} });
const shopperByPhone = (phone: string) => prisma.shopper.findFirstOrThrow({ where: { shop: TEST_SHOP, phone } });
const at = (ms: number) => new Date(T.getTime() + ms);

/** A shopper who ticks SMS marketing at checkout and pays five minutes later. */
async function buy(phone: string) {
  const token = `nps${seq}`;
  const checkout = await checkoutsCreate({ request: webhookRequest("checkouts/create", checkoutPayload({ token, createdAt: T, phone, customerId: String(7000 + seq) })), params: {}, context: {} });
  expect(checkout.status).toBe(200);
  clock.set(at(5 * MIN));
  const order = await ordersCreate({ request: webhookRequest("orders/create", orderPayload({ id: String(90_000 + seq), checkoutToken: token, createdAt: at(5 * MIN) })), params: {}, context: {} });
  expect(order.status).toBe(200);
}

const npsMessages = async (phone: string) => prisma.scheduledMessage.findMany({ where: { shop: TEST_SHOP, shopperId: (await shopperByPhone(phone)).id, flow: "nps_survey" } });

async function setNps(enabled: boolean) {
  // No discount on the thank-you: this test is about the question, not Shopify codes.
  await prisma.shop.update({
    where: { domain: TEST_SHOP },
    data: { settings: { journey: { holdoutPercent: { cart_recovery: 0 }, postPurchase: { discountPercent: null, npsQuestion: { enabled, afterDays: 7 } } } } },
  });
}

beforeAll(async () => {
  setClock(clock);
  prisma = await installShop(TEST_SHOP, { name: "Snow Devil" });
  fake = await startFakeTwilio();
});
afterAll(() => fake.close());
beforeEach(async () => {
  clock.set(T);
  seq++;
  await setNps(true);
});

describe("the NPS question", () => {
  it("is asked a week after the order, after the thank-you, and a reply feeds the NPS figure", async () => {
    const phone = `+1917556${1000 + seq}`;
    await buy(phone);
    const [planned] = await npsMessages(phone);
    expect(planned).toMatchObject({ status: "scheduled", dueAt: at(5 * MIN + 7 * DAY) });

    // A "9" to the thank-you is not an answer: nothing asked for a score yet.
    clock.set(at(5 * MIN + DAY));
    await dispatchOnce(fake);
    expect(fake.messages.filter((m) => m.to === phone).map((m) => m.body)).toEqual([expect.stringContaining("Thanks for your order")]);
    await call(inbound, twilioWebhook("/twilio/inbound", { From: phone, Body: "9", MessageSid: `SMa${seq}` }));

    clock.set(at(5 * MIN + 7 * DAY));
    await dispatchOnce(fake);
    const question = fake.messages.filter((m) => m.to === phone).at(-1)!;
    expect(question.body).toMatch(/^(Snow Devil: )?How likely are you to recommend Snow Devil to a friend\? Reply 0-10/);
    expect(question.body).toMatch(/Reply STOP to opt out/);

    clock.set(at(5 * MIN + 7 * DAY + 30 * MIN));
    const res = await call(inbound, twilioWebhook("/twilio/inbound", { From: phone, Body: "I'd say 8", MessageSid: `SMb${seq}` }));
    expect(res.status).toBe(200);
    // A second answer to the same question doesn't count twice.
    await call(inbound, twilioWebhook("/twilio/inbound", { From: phone, Body: "10!", MessageSid: `SMc${seq}` }));

    const shopper = await shopperByPhone(phone);
    expect(await prisma.journeyEvent.findMany({ where: { shopperId: shopper.id, type: "nps" } })).toEqual([expect.objectContaining({ data: { score: 8 } })]);
    const { sql } = await database();
    const metrics = await engagementMetrics(sql, TEST_SHOP, { from: T, to: at(30 * DAY) }, 0.0083);
    expect(metrics.nps.responses).toBeGreaterThanOrEqual(1);
    const mine = await prisma.journeyEvent.count({ where: { shop: TEST_SHOP, type: "nps" } });
    expect(metrics.nps.responses).toBe(mine);
  });

  it("waits for the morning like every other text (quiet hours)", async () => {
    const phone = `+1917556${1000 + seq}`;
    await buy(phone);
    // The question falls due at 10:05 in New York; at 23:00 a week later it must wait.
    clock.set(at(7 * DAY + 13 * 60 * MIN));
    await prisma.scheduledMessage.updateMany({ where: { shop: TEST_SHOP, flow: "nps_survey", shopperId: (await shopperByPhone(phone)).id }, data: { dueAt: at(7 * DAY + 13 * 60 * MIN) } });
    await dispatchOnce(fake);
    expect(fake.messages.filter((m) => m.to === phone && /recommend/.test(m.body))).toHaveLength(0);
    expect((await npsMessages(phone))[0]).toMatchObject({ status: "scheduled" });
  });

  it("is cancelled by STOP", async () => {
    const phone = `+1917556${1000 + seq}`;
    await buy(phone);
    await call(inbound, twilioWebhook("/twilio/inbound", { From: phone, Body: "STOP", MessageSid: `SMs${seq}` }));
    expect((await npsMessages(phone))[0]).toMatchObject({ status: "cancelled" });
  });

  it("is not planned when the merchant switches it off", async () => {
    await setNps(false);
    const phone = `+1917556${1000 + seq}`;
    await buy(phone);
    expect(await npsMessages(phone)).toEqual([]);
    expect(await prisma.scheduledMessage.count({ where: { shop: TEST_SHOP, shopperId: (await shopperByPhone(phone)).id, flow: "post_purchase" } })).toBe(1);
  });
});
