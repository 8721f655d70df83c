import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { DiscountMinter, DiscountRequest } from "~/adapters/shopify-discounts.server";
import { clock as appClock, fixedClock, setClock } from "~/clock.server";
import { database } from "~/db.server";
import { dispatchDueMessages } from "~/dispatch/dispatch.server";
import { action as checkoutsCreate } from "~/routes/webhooks.checkouts.create";
import { startFakeTwilio, type FakeTwilio } from "../mocks/twilio";
import { testGateway } from "../support/dispatch";
import { checkoutPayload, installShop, TEST_SHOP, webhookRequest } from "../support/shopify";

const T = new Date("2026-11-24T15:00:00Z"); // 10:00 in New York
const MIN = 60_000;
const clock = fixedClock(T);
let prisma: PrismaClient;
let fake: FakeTwilio;
let minted: DiscountRequest[];
let answer: Awaited<ReturnType<DiscountMinter>>;
let seq = 0;

const minter: DiscountMinter = async (request) => {
  minted.push(request);
  return answer;
};
async function dispatch() {
  const { sql } = await database();
  const gateway = testGateway(fake);
  return dispatchDueMessages({ sql, gatewayFor: () => gateway, mintDiscount: minter, workerId: "w", now: () => appClock.now(), statusCallbackUrl: null });
}
async function abandon(phone: string) {
  const res = await checkoutsCreate({ request: webhookRequest("checkouts/create", checkoutPayload({ token: `d${seq}`, createdAt: T, phone })), params: {}, context: {} });
  expect(res.status).toBe(200);
  clock.set(new Date(T.getTime() + 20 * MIN));
}

beforeAll(async () => {
  setClock(clock);
  prisma = await installShop(TEST_SHOP, { name: "Snow Devil" });
  fake = await startFakeTwilio();
});
afterAll(() => fake.close());
beforeEach(() => {
  clock.set(T);
  seq++;
  minted = [];
  answer = { ok: true, id: "gid://shopify/DiscountCodeNode/1" };
});

describe("discount codes in texts", () => {
  it("mints a single-use 10% code for the cart text and links to the checkout with it applied", async () => {
    const phone = `+1212555${2000 + seq}`;
    await abandon(phone);
    expect(await dispatch()).toMatchObject({ sent: 1 });

    expect(minted).toHaveLength(1);
    const [request] = minted;
    expect(request).toMatchObject({ shop: TEST_SHOP, percent: 10, startsAt: clock.now() });
    expect(request!.endsAt.getTime() - request!.startsAt.getTime()).toBe(48 * 3_600_000);
    const body = fake.messages.find((m) => m.to === phone)!.body;
    expect(body).toContain("Here's 10% off:");
    expect(body).toContain(`https://${TEST_SHOP}/discount/${request!.code}?redirect=`);
    expect(await prisma.discountCode.findMany({ where: { code: request!.code } })).toEqual([
      expect.objectContaining({ shop: TEST_SHOP, percent: 10, shopifyId: "gid://shopify/DiscountCodeNode/1" }),
    ]);
  });

  it("reuses the same code when the send is retried", async () => {
    const phone = `+1212555${2000 + seq}`;
    await abandon(phone);
    fake.script(phone, { kind: "error", status: 503 }, 3);
    expect(await dispatch()).toMatchObject({ retry: 1 });
    const [row] = await prisma.scheduledMessage.findMany({ where: { dedupeKey: `cart:d${seq}:1` } });
    clock.set(row!.dueAt);
    expect(await dispatch()).toMatchObject({ sent: 1 });
    expect(minted).toHaveLength(1);
    expect(fake.messages.find((m) => m.to === phone)!.body).toContain(minted[0]!.code);
  });

  it("holds the text, rather than send a broken code, while Shopify can't make one", async () => {
    const phone = `+1212555${2000 + seq}`;
    await abandon(phone);
    answer = { ok: false, retryable: true, message: "Throttled" };
    expect(await dispatch()).toMatchObject({ deferred: 1, sent: 0 });
    expect(fake.messages.filter((m) => m.to === phone)).toEqual([]);
    const [row] = await prisma.scheduledMessage.findMany({ where: { dedupeKey: `cart:d${seq}:1` } });
    expect(row).toMatchObject({ status: "scheduled", reason: "discount_unavailable" });
  });
});
