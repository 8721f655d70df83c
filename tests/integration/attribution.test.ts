import { describe, expect, it } from "vitest";
import type { DiscountMinter } from "~/adapters/shopify-discounts.server";
import { clock as appClock } from "~/clock.server";
import { database } from "~/db.server";
import { dispatchDueMessages } from "~/dispatch/dispatch.server";
import { loader as follow } from "~/routes/r.$id";
import { action as checkoutsCreate } from "~/routes/webhooks.checkouts.create";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { testGateway } from "../support/dispatch";
import { checkoutPayload, orderPayload, webhookRequest } from "../support/shopify";
import { startTextingShop } from "../support/texting-shop";

const T = new Date("2026-11-24T15:00:00Z"); // 10:00 in New York
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const { clock, prisma, fake } = await startTextingShop(T, { name: "Snow Devil" });
const codes = new Map<string, string>(); // phone -> code

const minter: DiscountMinter = async (request) => ({ ok: true, id: `gid://shopify/DiscountCodeNode/${request.code}` });
const at = (ms: number) => new Date(T.getTime() + ms);

/** A consenting shopper abandons a checkout and gets the cart text 20 minutes later. */
async function textedAbout(token: string, phone: string) {
  clock.set(T);
  await checkoutsCreate({ request: webhookRequest("checkouts/create", checkoutPayload({ token, createdAt: T, phone })), params: {}, context: {} });
  clock.set(at(20 * MIN));
  const { sql } = await database();
  const gateway = testGateway(fake);
  await dispatchDueMessages({ sql, gatewayFor: () => gateway, mintDiscount: minter, linkBase: "https://nudge.test", workerId: "w", now: () => appClock.now(), statusCallbackUrl: null });
  const text = fake.messages.find((m) => m.to === phone)!;
  codes.set(phone, (await prisma.discountCode.findFirstOrThrow({ where: { shopperId: (await prisma.shopper.findFirstOrThrow({ where: { phone } })).id } })).code);
  return text.body.match(/\/r\/([0-9A-Za-z]{10})/)![1]!;
}
async function clickAt(linkId: string, when: Date) {
  clock.set(when);
  const res = await follow({ request: new Request(`https://nudge.test/r/${linkId}`, { headers: { "user-agent": "Mozilla/5.0 (iPhone) Safari/604.1" } }), params: { id: linkId }, context: {} });
  expect(res.status).toBe(302);
}
async function orderAt(when: Date, fields: { id: string; checkoutToken?: string | null; code?: string }) {
  clock.set(when);
  const payload = orderPayload({ id: fields.id, checkoutToken: fields.checkoutToken ?? null, createdAt: when });
  payload.total_price_set = { shop_money: { amount: "404.95", currency_code: "USD" }, presentment_money: { amount: "380.10", currency_code: "EUR" } };
  if (fields.code) payload.discount_codes = [{ code: fields.code.toLowerCase(), amount: "40.49", type: "percentage" }];
  const res = await ordersCreate({ request: webhookRequest("orders/create", payload), params: {}, context: {} });
  expect(res.status).toBe(200);
  const order = await prisma.order.findFirstOrThrow({ where: { shopifyOrderId: fields.id } });
  return prisma.attribution.findUnique({ where: { orderId: order.id } });
}

describe("attribution", () => {
  it("credits an order placed after a click on the cart text as recovered, in both currencies", async () => {
    const link = await textedAbout("attr-a", "+12125550401");
    await clickAt(link, at(30 * MIN));
    const attribution = await orderAt(at(2 * HOUR), { id: "5001", checkoutToken: "attr-a" });
    const message = await prisma.scheduledMessage.findFirstOrThrow({ where: { dedupeKey: "cart:attr-a:1" } });
    expect(attribution).toMatchObject({ messageId: message.id, rule: "click", recovered: true, flow: "cart_recovery", touchedAt: at(30 * MIN), currency: "USD", presentmentCurrency: "EUR" });
    expect(String(attribution!.revenue)).toBe("404.95");
    expect(String(attribution!.presentmentRevenue)).toBe("380.1");
  });

  it("credits an order that used the text's code, with no click, by the code rule", async () => {
    await textedAbout("attr-b", "+12125550402");
    const attribution = await orderAt(at(30 * HOUR), { id: "5002", code: codes.get("+12125550402") });
    expect(attribution).toMatchObject({ rule: "code", recovered: true });
  });

  it("does not credit an order placed after the 5-day click window without the code", async () => {
    const link = await textedAbout("attr-c", "+12125550403");
    await clickAt(link, at(30 * MIN));
    expect(await orderAt(at(6 * DAY), { id: "5003" })).toBeNull();
  });

  it("does not credit a code used after it expired", async () => {
    await textedAbout("attr-d", "+12125550404");
    expect(await orderAt(at(3 * DAY), { id: "5004", code: codes.get("+12125550404") })).toBeNull();
  });

  it("credits nothing when the shopper never got a text", async () => {
    expect(await orderAt(at(HOUR), { id: "5005", checkoutToken: "never-texted" })).toBeNull();
  });
});
