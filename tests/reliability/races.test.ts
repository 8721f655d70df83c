import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@prisma/client";
import { database } from "~/db.server";
import { action as checkoutsCreate } from "~/routes/webhooks.checkouts.create";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as inbound } from "~/routes/twilio.inbound";
import { startFakeTwilio, type FakeTwilio } from "../mocks/twilio";
import { claimDueMessages } from "~/dispatch/claim.server";
import { sendClaimedChunk } from "~/dispatch/send-message.server";
import { dispatchOnce, testGateway } from "../support/dispatch";
import { checkoutPayload, installShop, orderPayload, TEST_SHOP, webhookRequest } from "../support/shopify";
import { twilioWebhook } from "../support/twilio";
import { reportFigures } from "./support/report";
import { firstSeenAt, runDispatchers, sleep } from "./support/races";
import { databaseKind, SIZES } from "./support/sizes";

// Promise (issue #10, item 2; ADR 004): no text leaves after an order or a STOP for its
// shopper has been committed, however close the two fall, with real concurrent dispatchers.

let prisma: PrismaClient;
let fake: FakeTwilio;
let seq = 0;
type Route = typeof checkoutsCreate;
const call = (route: Route, request: Request) => route({ request, params: {}, context: {} });

beforeAll(async () => {
  prisma = await installShop();
  // Every hour is sending time and no cap is reached: the races, not the policy, decide.
  await prisma.shop.update({
    where: { domain: TEST_SHOP },
    data: { settings: { journey: { holdoutPercent: { cart_recovery: 0 } }, sending: { window: { startHour: 0, endHour: 24 }, caps: [{ windowHours: 1, max: 50 }] } } },
  });
  fake = await startFakeTwilio();
});
afterAll(() => fake.close());

/**
 * A consenting shopper's abandoned checkout through the real webhook, last touched so that its
 * first cart text (20 minutes after, the default) falls due at `dueAt`.
 */
async function abandonCheckout(prefix: string, dueAt: number) {
  seq++;
  const phone = `+1613${prefix}${String(seq).padStart(4, "0")}`;
  const token = `race-${prefix}-${seq}`;
  const touched = new Date(dueAt - 20 * 60_000);
  const res = await call(checkoutsCreate, webhookRequest("checkouts/create", checkoutPayload({ token, cartToken: `cart-${token}`, createdAt: touched, phone })));
  expect(res.status).toBe(200);
  const key = `cart:${token}:1`;
  expect((await messageRow(key)).dueAt).toEqual(new Date(dueAt));
  return { phone, token, key };
}

async function messageRow(key: string) {
  return prisma.scheduledMessage.findFirstOrThrow({ where: { shop: TEST_SHOP, dedupeKey: key } });
}

async function settled(key: string) {
  for (let i = 0; i < 2_000; i++) {
    const row = await messageRow(key);
    if (row.status !== "scheduled" && row.status !== "sending") return row;
    await sleep(10);
  }
  throw new Error(`${key} never settled`);
}

describe("an order racing a text that falls due", () => {
  it("sends the text only if it left before the order was committed", async () => {
    const dispatchers = runDispatchers(fake, 2);
    const outcomes = { sentBeforeOrder: 0, cancelledByOrder: 0, textsAfterOrder: 0 };
    const offsets: number[] = [];
    let ingestMs = 50;
    try {
      for (let round = 0; round < SIZES.raceRounds; round++) {
        fake.setLatency(Math.floor(Math.random() * 20));
        const dueAt = Date.now() + 400;
        const { phone, token, key } = await abandonCheckout("201", dueAt);
        // The order commits 50 ms before to 50 ms after the due time: it is posted that much
        // earlier than the webhook has been taking to commit.
        const offset = Math.round(Math.random() * 100) - 50;
        const orderSeen = firstSeenAt(`SELECT 1 FROM shopper WHERE shop = $1 AND phone = $2 AND (state->>'orderCount')::int > 0`, [TEST_SHOP, phone]);
        await sleep(dueAt + offset - ingestMs - Date.now());
        const posted = Date.now();
        const res = await call(ordersCreate, webhookRequest("orders/create", orderPayload({ id: `77${seq}`, checkoutToken: token, cartToken: null, createdAt: new Date() })));
        expect(res.status).toBe(200);
        const committedBy = await orderSeen;
        ingestMs = (ingestMs + (committedBy - posted)) / 2;
        offsets.push(committedBy - dueAt);
        const row = await settled(key);
        const texts = fake.messages.filter((m) => m.to === phone);
        const late = texts.filter((m) => m.receivedAt.getTime() > committedBy);
        outcomes.textsAfterOrder += late.length;
        if (texts.length > 0) outcomes.sentBeforeOrder++;
        else outcomes.cancelledByOrder++;
        expect(late).toEqual([]);
        expect(texts.length).toBeLessThanOrEqual(1);
        // The row tells the same story as the fake.
        expect(row.status).toBe(texts.length ? "sent" : row.status === "skipped" ? "skipped" : "cancelled");
        if (!texts.length) expect(row.reason).toBe("ordered");
      }
    } finally {
      const { errors } = await dispatchers.stop();
      fake.setLatency(0);
      const range = offsets.length ? `${Math.min(...offsets)}..${Math.max(...offsets)} ms` : "none";
      reportFigures("race-order", databaseKind, { rounds: SIZES.raceRounds, dispatchers: 2, ...outcomes, orderSeenMinusDue: range, dispatchErrors: errors });
    }
  }, 300_000);
});

describe("an order committed between a claim and its send", () => {
  it("is seen by the send-time guard: the claimed text is skipped", async () => {
    // Deterministic hook: the dispatcher's claim commits, the order commits, then the send runs.
    const { phone, token, key } = await abandonCheckout("203", Date.now() - 1000);
    const { sql } = await database();
    const claimed = await claimDueMessages(sql, { now: new Date(), limit: 100, workerId: "slow-worker" });
    const message = claimed.find((m) => m.dedupe_key === key)!;
    expect(message).toBeDefined();
    const res = await call(ordersCreate, webhookRequest("orders/create", orderPayload({ id: `78${seq}`, checkoutToken: token, cartToken: null, createdAt: new Date() })));
    expect(res.status).toBe(200);
    const gateway = testGateway(fake);
    const outcomes = await sql.transaction((tx) => sendClaimedChunk(tx, message.shop, [message], { gatewayFor: () => gateway, now: () => new Date(), statusCallbackUrl: null }));
    expect(outcomes.get(message.id)).toBe("skipped");
    expect(await messageRow(key)).toMatchObject({ status: "skipped", reason: "ordered" });
    expect(fake.messages.filter((m) => m.to === phone)).toEqual([]);
  });
});

describe("STOP while a send is in flight", () => {
  it("commits the opt-out only after the text in flight is recorded, and nothing follows it", async () => {
    let stopsWhileHeld = 0;
    let textsAfterStop = 0;
    for (let round = 0; round < Math.max(2, SIZES.raceRounds / 4); round++) {
      const { phone, key } = await abandonCheckout("202", Date.now() - 1000);
      fake.setLatency(400); // Twilio holds its answer
      let finished: unknown = null;
      const dispatching = dispatchOnce(fake, "stop-race").then((summary) => (finished = summary));
      const deadline = Date.now() + 60_000;
      while (fake.inFlight() === 0) {
        if (finished || Date.now() > deadline) throw new Error(`the send never reached the fake: ${JSON.stringify(finished ?? "timeout")}, ${JSON.stringify(await messageRow(key))}`);
        await sleep(1);
      }
      stopsWhileHeld++;
      const stopSeen = firstSeenAt(`SELECT 1 FROM shopper WHERE shop = $1 AND phone = $2 AND consent = 'revoked'`, [TEST_SHOP, phone]);
      const res = await call(inbound, twilioWebhook("/twilio/inbound", { From: phone, Body: "STOP", OptOutType: "STOP", MessageSid: `SMstop${seq}` }));
      expect(res.status).toBe(200);
      const [summary, stoppedAt] = await Promise.all([dispatching, stopSeen]);
      fake.setLatency(0);
      expect(summary.sent).toBe(1);
      const [text] = fake.messages.filter((m) => m.to === phone);
      // Twilio answered (dateCreated) before the opt-out became visible: it waited for the send.
      expect(text!.dateCreated.getTime()).toBeLessThanOrEqual(stoppedAt);
      expect(await messageRow(key)).toMatchObject({ status: "sent" });

      // A second text for this shopper falls due after the STOP: nothing goes out.
      const { sql } = await database();
      await sql.query(
        `INSERT INTO scheduled_message (shop, shopper_id, dedupe_key, flow, step, checkout_token, due_at)
         SELECT shop, shopper_id, replace(dedupe_key, ':1', ':2'), flow, 2, checkout_token, now() - interval '1 second' FROM scheduled_message WHERE shop = $1 AND dedupe_key = $2`,
        [TEST_SHOP, key],
      );
      await dispatchOnce(fake, "after-stop");
      const after = fake.messages.filter((m) => m.to === phone && m.receivedAt.getTime() > stoppedAt);
      textsAfterStop += after.length;
      expect(after).toEqual([]);
    }
    reportFigures("race-stop", databaseKind, { stopsWhileHeld, textsAfterStop });
  }, 300_000);
});
