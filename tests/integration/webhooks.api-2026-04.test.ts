import { describe, expect, it } from "vitest";
import type { DiscountMinter } from "~/adapters/shopify-discounts.server";
import { clock as appClock } from "~/clock.server";
import { database } from "~/db.server";
import { dispatchDueMessages } from "~/dispatch/dispatch.server";
import { action as checkoutsCreate } from "~/routes/webhooks.checkouts.create";
import { action as checkoutsUpdate } from "~/routes/webhooks.checkouts.update";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { testGateway } from "../support/dispatch";
import { checkoutPayload, orderPayload, TEST_SHOP, webhookRequest } from "../support/shopify";
import { startTextingShop } from "../support/texting-shop";

// API 2026-04 removed `id` from checkouts/create and checkouts/update bodies and `checkout_id`
// from orders webhooks: "use the token or checkout_token fields going forward"
// (https://shopify.dev/changelog/removed-checkout-id-from-checkouts-and-orders-webhooks).
// Everything here is keyed on checkout.token and order.checkout_token, with bodies shaped so.

const T = new Date("2026-11-24T15:00:00Z"); // 10:00 in New York
const MIN = 60_000;
const { clock, prisma, fake } = await startTextingShop(T, { name: "Snow Devil" });
const at = (ms: number) => new Date(T.getTime() + ms);

const minter: DiscountMinter = async (request) => ({ ok: true, id: `gid://shopify/DiscountCodeNode/${request.code}` });
const post = (route: typeof checkoutsCreate, topic: string, payload: unknown) => route({ request: webhookRequest(topic, payload), params: {}, context: {} });
/** A 2026-04 checkout body: no `id`, the token is its only key. */
function checkout2026(fields: Parameters<typeof checkoutPayload>[0]) {
  const { id: _removed, ...body } = checkoutPayload(fields);
  return body;
}
/** A 2026-04 order body: no `checkout_id`, linked by checkout_token (and cart_token). */
function order2026(fields: Parameters<typeof orderPayload>[0]) {
  const { checkout_id: _removed, ...body } = orderPayload(fields);
  return body;
}
async function dispatchAt(when: Date) {
  clock.set(when);
  const { sql } = await database();
  const gateway = testGateway(fake);
  await dispatchDueMessages({ sql, gatewayFor: () => gateway, mintDiscount: minter, linkBase: "https://nudge.test", workerId: "w", now: () => appClock.now(), statusCallbackUrl: null });
}

describe("API 2026-04 checkout and order webhooks", () => {
  it("stores a checkouts/create without id under its token, and its checkouts/update on the same checkout", async () => {
    const created = checkout2026({ token: "t2604-a", cartToken: "c2604-a", createdAt: T, phone: "+12125550501" });
    expect(created).not.toHaveProperty("id");
    expect((await post(checkoutsCreate, "checkouts/create", created)).status).toBe(200);
    const updated = checkout2026({ token: "t2604-a", cartToken: "c2604-a", createdAt: T, updatedAt: at(5 * MIN), phone: "+12125550501", total_price: "99.00" });
    expect((await post(checkoutsUpdate, "checkouts/update", updated)).status).toBe(200);

    const rows = await prisma.checkout.findMany({ where: { shop: TEST_SHOP, token: "t2604-a" } });
    expect(rows).toHaveLength(1);
    expect(String(rows[0]!.totalPrice)).toBe("99");
    const messages = await prisma.scheduledMessage.findMany({ where: { shop: TEST_SHOP, checkoutToken: "t2604-a" } });
    expect(messages.map((m) => m.dedupeKey)).toEqual(["cart:t2604-a:1"]);
  });

  it("converts the journey of the checkout an orders/create without checkout_id names, and credits its text", async () => {
    const phone = "+12125550502";
    await post(checkoutsCreate, "checkouts/create", checkout2026({ token: "t2604-b1", cartToken: "c2604-b", createdAt: T, phone }));
    await dispatchAt(at(20 * MIN));
    const text = await prisma.scheduledMessage.findFirstOrThrow({ where: { dedupeKey: "cart:t2604-b1:1" } });
    expect(text.status).toBe("sent");
    const code = (await prisma.discountCode.findFirstOrThrow({ where: { messageId: text.id } })).code;
    // A newer checkout from the same cart: a cart_token-only link would pick this one.
    clock.set(at(30 * MIN));
    await post(checkoutsCreate, "checkouts/create", checkout2026({ token: "t2604-b2", cartToken: "c2604-b", createdAt: at(30 * MIN), phone }));

    clock.set(at(60 * MIN));
    const order = order2026({ id: "2604001", checkoutToken: "t2604-b1", cartToken: "c2604-b", createdAt: at(60 * MIN) });
    order.discount_codes = [{ code, amount: "10.00", type: "percentage" }];
    expect(order).not.toHaveProperty("checkout_id");
    expect((await post(ordersCreate, "orders/create", order)).status).toBe(200);

    const [first, second] = await Promise.all(["t2604-b1", "t2604-b2"].map((token) => prisma.checkout.findFirstOrThrow({ where: { shop: TEST_SHOP, token } })));
    expect(first!.completedAt).toEqual(at(60 * MIN));
    expect(second!.completedAt).toBeNull();
    const stored = await prisma.order.findFirstOrThrow({ where: { shop: TEST_SHOP, shopifyOrderId: "2604001" } });
    expect(stored).toMatchObject({ checkoutToken: "t2604-b1", shopperId: text.shopperId });
    expect(await prisma.attribution.findUnique({ where: { orderId: stored.id } })).toMatchObject({ messageId: text.id, rule: "code", recovered: true, flow: "cart_recovery" });
    const shopper = await prisma.shopper.findUniqueOrThrow({ where: { id: text.shopperId } });
    expect(shopper.stage).not.toBe("consideration");
  });
});
