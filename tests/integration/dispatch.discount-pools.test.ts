import { beforeEach, describe, expect, it } from "vitest";
import type { DiscountCodeAdder, DiscountMinter, DiscountRequest } from "~/adapters/shopify-discounts.server";
import { clock as appClock } from "~/clock.server";
import { database } from "~/db.server";
import { prunePools, settleFills } from "~/dispatch/discount-pool.server";
import { dispatchDueMessages } from "~/dispatch/dispatch.server";
import { POOL } from "~/offers/discount-pool";
import { action as checkoutsCreate } from "~/routes/webhooks.checkouts.create";
import { testGateway } from "../support/dispatch";
import { checkoutPayload, TEST_SHOP, webhookRequest } from "../support/shopify";
import { startTextingShop } from "../support/texting-shop";

// Pooled codes (docs/decisions/025-pooled-discount-codes.md): a busy offer's codes are added to
// one Shopify discount in bulk ahead of its texts, which then take them without a Shopify call.
const T = new Date("2026-11-24T15:00:00Z"); // 10:00 in New York
const MIN = 60_000;
const HOUR = 3_600_000;
const BUSY = POOL.minDemand + 2;
const { clock, prisma, fake } = await startTextingShop(T, { name: "Snow Devil", rewindEachTest: true });

let minted: DiscountRequest[];
let adds: { shop: string; discountId: string; codes: string[] }[];
let refuse: Set<string>;
let addFails: boolean;
let addCalls: number;
let finishAdd: Promise<void>;
let shoppers = 0;

const adder: DiscountCodeAdder = {
  add: async (shop, discountId, codes) => {
    addCalls++;
    if (addFails) return { ok: false, retryable: true, message: "Throttled" };
    adds.push({ shop, discountId, codes: [...codes] });
    return { ok: true, bulkId: `gid://shopify/DiscountRedeemCodeBulkCreation/${adds.length}` };
  },
  added: async (_shop, bulkId) => {
    const add = adds[Number(bulkId.split("/").pop()) - 1]!;
    await finishAdd;
    return { ok: true, done: true, created: add.codes.filter((c) => !refuse.has(c)) };
  },
};
const minter: DiscountMinter = Object.assign(async (request: DiscountRequest) => (minted.push(request), { ok: true as const, id: `gid://shopify/DiscountCodeNode/${minted.length}` }), {
  bulk: adder,
});

/** `count` shoppers abandon checkouts at T; the clock moves to when their cart texts are due. */
async function abandon(count: number): Promise<string[]> {
  const phones: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = shoppers++;
    const phone = `+1212557${String(n).padStart(4, "0")}`;
    const res = await checkoutsCreate({ request: webhookRequest("checkouts/create", checkoutPayload({ token: `p${n}`, createdAt: clock.now(), phone })), params: {}, context: {} });
    expect(res.status).toBe(200);
    phones.push(phone);
  }
  clock.set(new Date(clock.now().getTime() + 20 * MIN));
  return phones;
}

async function dispatch() {
  const gateway = testGateway(fake);
  const { sql } = await database();
  return dispatchDueMessages({ sql, gatewayFor: () => gateway, mintDiscount: minter, workerId: "w", now: () => appClock.now(), statusCallbackUrl: null });
}

/** The codes of the shop's pools no text has taken yet. */
async function freeCodes(): Promise<string[]> {
  const batches = await prisma.discountPoolBatch.findMany({ where: { shop: TEST_SHOP } });
  return batches.flatMap((b) => b.codes.slice(b.taken));
}

const codeIn = (phone: string) => /\/discount\/([A-Z0-9-]+)\?/.exec(fake.messages.find((m) => m.to === phone)!.body)?.[1];

beforeEach(async () => {
  minted = [];
  adds = [];
  refuse = new Set();
  addFails = false;
  addCalls = 0;
  finishAdd = Promise.resolve();
  await prisma.discountPool.deleteMany({});
});

describe("pooled discount codes", () => {
  it("fills a busy offer's pool in the background, and the next texts take its codes without asking Shopify", async () => {
    const first = await abandon(BUSY);
    expect(await dispatch()).toMatchObject({ sent: BUSY });
    // This tick's texts had codes of their own; its demand started a pool: one discount made
    // with the pool's first code, then codesPerCall more added to it in bulk.
    await settleFills();
    expect(minted).toHaveLength(BUSY + 1);
    const poolDiscount = minted[BUSY]!;
    const pool = await prisma.discountPool.findFirstOrThrow({ where: { shop: TEST_SHOP } });
    expect(pool).toMatchObject({ flow: "cart_recovery", percent: 10, hours: 48, shopifyId: `gid://shopify/DiscountCodeNode/${BUSY + 1}`, fillingSince: null });
    // The window ends at the top of the hour at least 15 minutes on; the discount 48 h later.
    expect(pool.usableUntil).toEqual(new Date("2026-11-24T16:00:00Z"));
    expect(pool.endsAt).toEqual(new Date(pool.usableUntil.getTime() + 48 * HOUR));
    expect(poolDiscount).toMatchObject({ shop: TEST_SHOP, percent: 10, endsAt: pool.endsAt, title: "Nudge cart recovery 10%, texts until 2026-11-24T16h UTC" });
    expect(adds).toEqual([{ shop: TEST_SHOP, discountId: pool.shopifyId, codes: expect.any(Array) }]);
    expect(adds[0]!.codes).toHaveLength(POOL.codesPerCall);
    expect(await freeCodes()).toEqual([poolDiscount.code, ...adds[0]!.codes]);
    for (const phone of first) expect(minted.map((r) => r.code)).toContain(codeIn(phone));

    const second = await abandon(BUSY);
    expect(await dispatch()).toMatchObject({ sent: BUSY });
    await settleFills();
    expect(minted).toHaveLength(BUSY + 1); // no code minted for these texts
    const pooled = new Set([poolDiscount.code, ...adds[0]!.codes]);
    const codes = second.map(codeIn);
    expect(new Set(codes).size).toBe(BUSY);
    for (const code of codes) expect(pooled.has(code!)).toBe(true);
    const taken = await prisma.discountCode.findMany({ where: { code: { in: codes as string[] } } });
    expect(taken).toHaveLength(BUSY);
    for (const row of taken) {
      // Taken: recorded for its text from the text's own now, valid at least the offer's 48 h from the send.
      expect(row).toMatchObject({ messageId: expect.any(String), shopperId: expect.any(String), shopifyId: pool.shopifyId, startsAt: clock.now(), endsAt: pool.endsAt });
      expect(row.endsAt.getTime() - clock.now().getTime()).toBeGreaterThanOrEqual(48 * HOUR);
      expect(row.endsAt.getTime() - clock.now().getTime()).toBeLessThanOrEqual(48 * HOUR + 75 * MIN);
    }
    // The pool held fewer free codes than its low-water mark, so the tick topped it up: more
    // codes added to the same discount, not a new one.
    expect(adds.map((a) => a.discountId)).toEqual([pool.shopifyId, pool.shopifyId]);
    const free = await freeCodes();
    expect(free).toHaveLength(2 * POOL.codesPerCall + 1 - BUSY);
    expect(free.filter((code) => codes.includes(code))).toEqual([]);
  });

  it("never hands out a code Shopify refused, nor one whose bulk creation has not finished", async () => {
    await abandon(BUSY);
    let finish!: () => void;
    finishAdd = new Promise((resolve) => (finish = resolve));
    await dispatch();
    // The bulk creation is under way: the next tick's texts get codes of their own, not the unready ones.
    await expect.poll(() => adds.length).toBe(1);
    refuse = new Set(adds[0]!.codes.slice(0, 3));
    const during = await abandon(BUSY);
    const before = minted.length;
    expect(await dispatch()).toMatchObject({ sent: BUSY });
    expect(minted.length - before).toBe(BUSY - 1); // only the pool's first code, made with its discount, was ready
    expect(during.map(codeIn).filter((code) => adds[0]!.codes.includes(code!))).toEqual([]);
    finish();
    await settleFills();
    expect(await freeCodes()).toEqual(adds[0]!.codes.filter((code) => !refuse.has(code)));
  });

  it("records no codes when Shopify won't add them, keeps texts getting codes of their own, and asks again a second later", async () => {
    addFails = true;
    await abandon(BUSY);
    await dispatch();
    await settleFills();
    const pool = await prisma.discountPool.findFirstOrThrow({ where: { shop: TEST_SHOP } });
    expect(pool.fillingSince).toBeNull();
    // Only the first code, made with the discount, is in the pool.
    expect(await freeCodes()).toEqual([minted.at(-1)!.code]);
    expect(addCalls).toBe(1);

    // The next busy tick at once: its texts get codes (the pool's one, then their own), and no fill is asked for.
    addFails = false;
    await abandon(BUSY);
    expect(await dispatch()).toMatchObject({ sent: BUSY });
    await settleFills();
    expect(addCalls).toBe(1);
    // After POOL.retryMs the offer's fill is asked for again.
    await new Promise((resolve) => setTimeout(resolve, POOL.retryMs));
    await abandon(BUSY);
    await dispatch();
    await settleFills();
    expect(addCalls).toBe(2);
    expect(await freeCodes()).toEqual(expect.arrayContaining(adds.at(-1)!.codes));
  });

  it("hands out the codes of the pool whose window ends first, while the next window's pool fills", async () => {
    await abandon(BUSY);
    await dispatch();
    await settleFills();
    const first = await prisma.discountPool.findFirstOrThrow({ where: { shop: TEST_SHOP } });
    // Two more rushes of carts, abandoned at 15:30 and 15:31. At 15:50 the window under way ends
    // at 17:00, so the tick sending the first rush starts that pool while taking the first's codes.
    clock.set(new Date("2026-11-24T15:30:00Z"));
    await abandon(BUSY);
    clock.set(new Date("2026-11-24T15:31:00Z"));
    const phones = await abandon(BUSY);
    clock.set(new Date("2026-11-24T15:50:00Z"));
    await dispatch();
    await settleFills();
    const pools = await prisma.discountPool.findMany({ where: { shop: TEST_SHOP }, orderBy: { usableUntil: "asc" } });
    expect(pools.map((p) => p.usableUntil)).toEqual([first.usableUntil, new Date("2026-11-24T17:00:00Z")]);
    const later = await prisma.discountPoolBatch.findMany({ where: { poolId: pools[1]!.id } });
    expect(later.flatMap((b) => b.codes)).toHaveLength(POOL.codesPerCall + 1);

    // 15:51: both pools hand out codes; the one ending at 16:00 goes first.
    clock.set(new Date("2026-11-24T15:51:00Z"));
    await dispatch();
    const codes = phones.map(codeIn);
    const earlier = new Set((await prisma.discountPoolBatch.findMany({ where: { poolId: first.id } })).flatMap((b) => b.codes));
    for (const code of codes) expect(earlier.has(code!)).toBe(true);
  });

  it("leaves a quiet offer with one discount per text, and no pool", async () => {
    await abandon(POOL.minDemand - 1);
    expect(await dispatch()).toMatchObject({ sent: POOL.minDemand - 1 });
    await settleFills();
    expect(minted).toHaveLength(POOL.minDemand - 1);
    expect(await prisma.discountPool.count()).toBe(0);
  });

  it("prunes a pool once its window has ended, with its untaken codes, and keeps the codes texts took", async () => {
    await abandon(BUSY);
    await dispatch();
    await settleFills();
    const second = await abandon(BUSY);
    await dispatch();
    const { sql } = await database();
    const pool = await prisma.discountPool.findFirstOrThrow({ where: { shop: TEST_SHOP } });
    expect(await prunePools(sql, new Date(pool.usableUntil.getTime() - 1))).toBe(0);
    expect(await prunePools(sql, pool.usableUntil)).toBe(1);
    expect(await prisma.discountPoolBatch.count({ where: { poolId: pool.id } })).toBe(0);
    expect(await prisma.discountCode.count({ where: { code: { in: second.map(codeIn) as string[] } } })).toBe(BUSY);
  });
});
