import { beforeEach, describe, expect, it } from "vitest";
import type { DiscountMinter, DiscountRequest } from "~/adapters/shopify-discounts.server";
import { clock as appClock } from "~/clock.server";
import type { SqlDriver } from "~/db/sql-driver.server";
import { database } from "~/db.server";
import { dispatchDueMessages } from "~/dispatch/dispatch.server";
import { recoverStuckMessages } from "~/dispatch/recover.server";
import { optOutManually } from "~/services/manual-opt-out.server";
import { action as checkoutsCreate } from "~/routes/webhooks.checkouts.create";
import { testGateway } from "../support/dispatch";
import { checkoutPayload, TEST_SHOP, webhookRequest } from "../support/shopify";
import { startTextingShop } from "../support/texting-shop";

const T = new Date("2026-11-24T15:00:00Z"); // 10:00 in New York
const MIN = 60_000;
const { clock, prisma, fake } = await startTextingShop(T, { name: "Snow Devil", rewindEachTest: true });
let minted: DiscountRequest[];
let answer: Awaited<ReturnType<DiscountMinter>>;
let seq = 0;

const minter: DiscountMinter = async (request) => {
  minted.push(request);
  return answer;
};
async function dispatch(sql?: SqlDriver) {
  const gateway = testGateway(fake);
  return dispatchDueMessages({ sql: sql ?? (await database()).sql, gatewayFor: () => gateway, mintDiscount: minter, workerId: "w", now: () => appClock.now(), statusCallbackUrl: null });
}
async function abandon(phone: string) {
  const res = await checkoutsCreate({ request: webhookRequest("checkouts/create", checkoutPayload({ token: `d${seq}`, createdAt: T, phone })), params: {}, context: {} });
  expect(res.status).toBe(200);
  clock.set(new Date(T.getTime() + 20 * MIN));
}

beforeEach(() => {
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
    expect(await prisma.discountCode.findMany({ where: { code: request!.code } })).toEqual([expect.objectContaining({ shop: TEST_SHOP, percent: 10, shopifyId: "gid://shopify/DiscountCodeNode/1" })]);
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

// Issue #17 item 6 (ADR 011, amendment of 5 Dec 2026): the code is minted before the send's
// transaction, so a Shopify round trip never holds a shopper's or the shop's lock.
describe("minting a chunk's codes before its send transaction", () => {
  it("records a STOP that arrives while Shopify makes the code at once, leaves the shop's row free, and then skips the text", async () => {
    const phone = `+1212555${2000 + seq}`;
    await abandon(phone);
    const { sql } = await database();
    const shopper = await prisma.shopper.findFirstOrThrow({ where: { shop: TEST_SHOP, phone } });
    let stop: "recorded" | "waited for a lock" | undefined;
    let shopRow: "free" | "locked" | undefined;
    answer = { ok: true, id: "gid://shopify/DiscountCodeNode/2" };
    const slowShopify: DiscountMinter = async (request) => {
      // While the request is at Shopify: the shopper replies STOP, and a settings change would lock the shop.
      stop = await within(
        1500,
        optOutManually(sql, TEST_SHOP, shopper.id, clock.now()).then(() => "recorded" as const),
        "waited for a lock",
      );
      shopRow = await within(
        1500,
        sql.query("SELECT 1 FROM shop WHERE domain = $1 FOR UPDATE NOWAIT", [TEST_SHOP]).then(
          () => "free" as const,
          () => "locked" as const,
        ),
        "locked",
      );
      return minter(request);
    };
    const gateway = testGateway(fake);
    const summary = await dispatchDueMessages({ sql, gatewayFor: () => gateway, mintDiscount: slowShopify, workerId: "w", now: () => appClock.now(), statusCallbackUrl: null });

    expect(stop).toBe("recorded");
    expect(shopRow).toBe("free");
    // The guards, under the lock, see the STOP: no text. The code Shopify made is recorded
    // against the message and never shown; it is single-use and expires at ends_at.
    expect(summary).toMatchObject({ claimed: 1, skipped: 1, sent: 0 });
    expect(fake.messages.filter((m) => m.to === phone)).toEqual([]);
    const [message] = await prisma.scheduledMessage.findMany({ where: { dedupeKey: `cart:d${seq}:1` } });
    expect(message).toMatchObject({ status: "skipped", reason: "opted_out" });
    expect(await prisma.discountCode.findMany({ where: { messageId: message!.id } })).toEqual([expect.objectContaining({ code: minted[0]!.code, shopifyId: "gid://shopify/DiscountCodeNode/2" })]);
  });

  it("reuses the code Shopify made before the worker died, without asking Shopify again", async () => {
    const phone = `+1212555${2000 + seq}`;
    await abandon(phone);
    const { sql } = await database();
    // The worker dies once Shopify has answered: nothing it would write afterwards commits.
    const dying = dyingAfter(sql, () => minted.length > 0);
    expect(await dispatch(dying)).toMatchObject({ claimed: 1, sent: 0, errors: 1 });
    expect(fake.messages.filter((m) => m.to === phone)).toEqual([]);

    // The next worker's recovery finds no such text at Twilio and queues it again.
    const gateway = testGateway(fake);
    expect(await recoverStuckMessages(sql, () => gateway, { now: appClock.now(), staleAfterMs: 0 })).toMatchObject({ requeued: 1 });
    expect(await dispatch()).toMatchObject({ sent: 1 });

    expect(minted.map((r) => r.code)).toHaveLength(1);
    expect(fake.messages.find((m) => m.to === phone)!.body).toContain(`/discount/${minted[0]!.code}?`);
    const [message] = await prisma.scheduledMessage.findMany({ where: { dedupeKey: `cart:d${seq}:1` } });
    expect(await prisma.discountCode.findMany({ where: { messageId: message!.id } })).toEqual([expect.objectContaining({ code: minted[0]!.code })]);
  });

  it("gives a text held back past half its code's life a fresh code, so it never offers one about to expire", async () => {
    const phone = `+1212555${2000 + seq}`;
    await abandon(phone);
    fake.script(phone, { kind: "error", status: 503 }, 3);
    expect(await dispatch()).toMatchObject({ retry: 1 });
    const [message] = await prisma.scheduledMessage.findMany({ where: { dedupeKey: `cart:d${seq}:1` } });
    // The code lives 48 h; the retry comes 25 hours later.
    clock.set(new Date(clock.now().getTime() + 25 * 3_600_000));
    await prisma.scheduledMessage.update({ where: { id: message!.id }, data: { dueAt: clock.now() } });
    const first = minted[0]!.code;
    await dispatch();

    const [code] = await prisma.discountCode.findMany({ where: { messageId: message!.id } });
    expect(code).toMatchObject({ startsAt: clock.now(), endsAt: new Date(clock.now().getTime() + 48 * 3_600_000), shopifyId: expect.any(String) });
    expect(code!.code).not.toBe(first);
    expect(minted.map((r) => r.code)).toContain(code!.code);
    const sent = await prisma.scheduledMessage.findUniqueOrThrow({ where: { id: message!.id } });
    expect(sent).toMatchObject({ status: "sent", body: expect.stringContaining(`/discount/${code!.code}?`) });
    expect(fake.messages.filter((m) => m.to === phone).map((m) => m.body)).toContain(sent.body);
  });
});

describe("recording a tick's codes", () => {
  it("records the codes of a tick's chunks in one statement and their Shopify ids in another, each text with its own code", async () => {
    const phones = [0, 1, 2].map((i) => `+1212556${2000 + seq * 10 + i}`);
    for (const [i, phone] of phones.entries()) {
      const res = await checkoutsCreate({ request: webhookRequest("checkouts/create", checkoutPayload({ token: `t${seq}-${i}`, createdAt: T, phone })), params: {}, context: {} });
      expect(res.status).toBe(200);
    }
    clock.set(new Date(T.getTime() + 20 * MIN));
    const { sql } = await database();
    const statements: string[] = [];
    const counted: SqlDriver = {
      ...sql,
      kind: sql.kind,
      exec: (text) => sql.exec(text),
      query: <Row>(text: string, params?: unknown[]) => (statements.push(text), sql.query<Row>(text, params)),
      listen: (c, n) => sql.listen(c, n),
      transaction: (fn) => sql.transaction(fn),
      close: () => sql.close(),
    };
    const gateway = testGateway(fake);
    // One text per chunk: three chunks in the tick.
    const summary = await dispatchDueMessages({ sql: counted, gatewayFor: () => gateway, mintDiscount: minter, workerId: "w", now: () => appClock.now(), statusCallbackUrl: null, chunkSize: 1 });

    expect(summary).toMatchObject({ claimed: 3, sent: 3 });
    // One statement takes pooled codes or records new ones (ADR 025); one stores Shopify's ids.
    expect(statements.filter((text) => /INSERT INTO discount_code/.test(text))).toHaveLength(1);
    expect(statements.filter((text) => /^\s*UPDATE discount_code/.test(text))).toHaveLength(1);
    expect(statements.filter((text) => /discount_code/.test(text))).toHaveLength(2);
    const codes = minted.map((r) => r.code);
    expect(new Set(codes).size).toBe(3);
    for (const phone of phones) expect(codes.filter((code) => fake.messages.find((m) => m.to === phone)!.body.includes(`/discount/${code}?`))).toHaveLength(1);
    expect(await prisma.discountCode.count({ where: { code: { in: codes }, shopifyId: "gid://shopify/DiscountCodeNode/1" } })).toBe(3);
  });
});

/** `promise`'s value, or `late` if it takes longer than `ms` (it may still finish later). */
function within<T, L>(ms: number, promise: Promise<T>, late: L): Promise<T | L> {
  return Promise.race([promise, new Promise<L>((resolve) => setTimeout(() => resolve(late), ms))]);
}

/** A driver whose transactions fail from the moment `dead()` holds, as a killed worker's never commit. */
function dyingAfter(sql: SqlDriver, dead: () => boolean): SqlDriver {
  const killed = () => Promise.reject(new Error("worker killed (SIGKILL)"));
  return {
    kind: sql.kind,
    exec: (text) => sql.exec(text),
    query: <Row>(text: string, params?: unknown[]) => sql.query<Row>(text, params),
    close: () => sql.close(),
    listen: (channel, onNotify) => sql.listen(channel, onNotify),
    transaction: (fn) =>
      dead()
        ? killed()
        : sql.transaction((tx) => fn({ exec: (text) => (dead() ? killed() : tx.exec(text)), query: <Row>(text: string, params?: unknown[]) => (dead() ? killed() : tx.query<Row>(text, params)) })),
  };
}
