import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { shopifyConsentPusher } from "~/adapters/shopify-consent.server";
import { shopifyDiscountMinter } from "~/adapters/shopify-discounts.server";
import { twilioGateway, type SmsGateway } from "~/adapters/twilio.server";
import { clock as appClock } from "~/clock.server";
import { syncConsentChanges } from "~/consent-sync/sync-consent.server";
import { database } from "~/db.server";
import { openDatabase } from "~/db/open-database.server";
import { dispatchDueMessages } from "~/dispatch/dispatch.server";
import { runCli } from "~/ops/cli.server";
import { optOutManually } from "~/services/manual-opt-out.server";
import { action as checkoutsCreate } from "~/routes/webhooks.checkouts.create";
import { fakeShopifyAdmin, mutationResult, throttled } from "../mocks/shopify-admin";
import { TEST_ACCOUNT_SID, TEST_SERVICE_SID, testGateway } from "../support/dispatch";
import { checkoutPayload, TEST_SHOP, webhookRequest } from "../support/shopify";
import { startTextingShop } from "../support/texting-shop";

// Twilio failing (500, 429, timeouts) and the Shopify Admin API throttling: texts wait and
// retry with backoff, then go out exactly once; nothing is lost or doubled; the doctor tells.

const T = new Date("2026-11-24T15:00:00Z"); // 10:00 in New York
const MIN = 60_000;
const { clock, prisma, fake } = await startTextingShop(T, { name: "Snow Devil" });
let seq = 0;
const GATEWAY_TOKEN = "t".repeat(32);
const dir = mkdtempSync(join(tmpdir(), "nudge-dependency-"));

async function dispatch(options: { gateway?: SmsGateway; withDiscounts?: boolean } = {}) {
  const { sql } = await database();
  const gateway = options.gateway ?? testGateway(fake);
  return dispatchDueMessages({
    sql,
    gatewayFor: () => gateway,
    mintDiscount: options.withDiscounts ? shopifyDiscountMinter : undefined,
    workerId: "dependency",
    now: () => appClock.now(),
    statusCallbackUrl: null,
  });
}
/** A cart abandoned at T by a new number, due 20 minutes later; the clock is moved there. */
async function abandon(): Promise<{ phone: string; messageId: string }> {
  const phone = `+1212555${4000 + ++seq}`;
  clock.set(T);
  const res = await checkoutsCreate({ request: webhookRequest("checkouts/create", checkoutPayload({ token: `dep-${seq}`, createdAt: T, phone })), params: {}, context: {} });
  expect(res.status).toBe(200);
  clock.set(new Date(T.getTime() + 20 * MIN));
  const message = await prisma.scheduledMessage.findFirstOrThrow({ where: { checkoutToken: `dep-${seq}` } });
  return { phone, messageId: message.id };
}
const row = (id: string) => prisma.scheduledMessage.findUniqueOrThrow({ where: { id } });
const sentTo = (phone: string) => fake.messages.filter((m) => m.to === phone);

beforeAll(() => {
  // The doctor checks the app's Twilio account (the one testGateway sends with) against the fake.
  fake.addAccount({ sid: TEST_ACCOUNT_SID, authToken: GATEWAY_TOKEN, messagingServiceSids: [TEST_SERVICE_SID] });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => fake.setLatency(0));

describe("Twilio failing", () => {
  it("429s: the text waits with growing backoff, then goes out once", async () => {
    const { phone, messageId } = await abandon();
    const waits: number[] = [];
    for (let tick = 0; tick < 2; tick++) {
      fake.script(phone, { kind: "error", status: 429, code: 20429 }, 3); // every try of this tick
      expect(await dispatch()).toMatchObject({ retry: 1 });
      const { status, dueAt } = await row(messageId);
      expect(status).toBe("scheduled");
      waits.push(dueAt.getTime() - clock.now().getTime());
      clock.set(dueAt);
    }
    expect(waits).toEqual([30_000, 60_000]);
    expect(await dispatch()).toMatchObject({ sent: 1 });
    expect(sentTo(phone)).toHaveLength(1);
  });

  it("500s that Twilio confirms were not sent: retried later like any outage, never left unknown", async () => {
    const { phone, messageId } = await abandon();
    fake.script(phone, { kind: "error", status: 500 }, 3);
    expect(await dispatch()).toMatchObject({ retry: 1 });
    const waiting = await row(messageId);
    expect(waiting).toMatchObject({ status: "scheduled" });
    clock.set(waiting.dueAt);
    expect(await dispatch()).toMatchObject({ sent: 1 });
    expect(sentTo(phone)).toHaveLength(1);
  });

  it("a timeout Twilio can't answer about either: the text is held as unknown for a person, never sent twice", async () => {
    const { phone, messageId } = await abandon();
    const slow = twilioGateway({ accountSid: TEST_ACCOUNT_SID, authToken: GATEWAY_TOKEN, messagingServiceSid: TEST_SERVICE_SID, baseUrl: fake.url, backoffMs: 1, timeoutMs: 150 });
    fake.setLatency(400); // Twilio takes the text, but answers too late; the lookup times out too
    expect(await dispatch({ gateway: slow })).toMatchObject({ unknown: 1 });
    fake.setLatency(0);
    clock.set(new Date(T.getTime() + 60 * MIN));
    expect(await dispatch()).toMatchObject({ claimed: 0 });
    expect(await row(messageId)).toMatchObject({ status: "unknown", reason: "provider_outcome_unknown" });
    await new Promise((r) => setTimeout(r, 400)); // let the late answer land
    expect(sentTo(phone)).toHaveLength(1);
  });
});

describe("the Shopify Admin API throttling", () => {
  it("discount codes: the text waits while Shopify answers THROTTLED, a Twilio blip after that is still retried, and one code and one text go out", async () => {
    const admin = fakeShopifyAdmin(() => throttled());
    try {
      const { phone, messageId } = await abandon();
      for (let tick = 0; tick < 5; tick++) {
        expect(await dispatch({ withDiscounts: true })).toMatchObject({ deferred: 1 });
        const waiting = await row(messageId);
        expect(waiting).toMatchObject({ status: "scheduled", reason: "discount_unavailable" });
        expect(waiting.dueAt.getTime()).toBeGreaterThan(clock.now().getTime());
        clock.set(waiting.dueAt);
      }
      expect(sentTo(phone)).toHaveLength(0);

      admin.answerWith(() => mutationResult("discountCodeBasicCreate", { codeDiscountNode: { id: "gid://shopify/DiscountCodeNode/7" }, userErrors: [] }));
      fake.script(phone, { kind: "error", status: 503 }, 3); // a Twilio outage: these waits were not send attempts
      expect(await dispatch({ withDiscounts: true })).toMatchObject({ retry: 1 });
      clock.set((await row(messageId)).dueAt);
      expect(await dispatch({ withDiscounts: true })).toMatchObject({ sent: 1 });

      const codes = await prisma.discountCode.findMany({ where: { messageId } });
      expect(codes).toEqual([expect.objectContaining({ shopifyId: "gid://shopify/DiscountCodeNode/7" })]);
      expect(sentTo(phone)).toHaveLength(1);
      expect(sentTo(phone)[0]!.body).toContain(codes[0]!.code);
      // Every attempt asked for the same code: no stray codes at Shopify.
      expect(new Set(admin.calls.map((c) => (c.variables.basicCodeDiscount as { code: string }).code))).toEqual(new Set([codes[0]!.code]));
    } finally {
      admin.restore();
    }
  });

  it("consent sync: retried with backoff through THROTTLED answers until Shopify takes it", async () => {
    const { phone } = await abandon();
    const shopper = await prisma.shopper.findFirstOrThrow({ where: { shop: TEST_SHOP, phone } });
    await prisma.shopper.update({ where: { id: shopper.id }, data: { customerId: "42" } });
    const { sql } = await database();
    expect(await optOutManually(sql, TEST_SHOP, shopper.id, appClock.now())).toBe(true); // cancels the cart text, queues the sync
    const round = () => syncConsentChanges({ sql, pushConsent: shopifyConsentPusher, workerId: "dependency", now: () => appClock.now() });
    let answers = 0;
    const admin = fakeShopifyAdmin(() => (++answers <= 2 ? throttled() : mutationResult("customerSmsMarketingConsentUpdate", { customer: { id: "gid://shopify/Customer/42" }, userErrors: [] })));
    try {
      expect(await round()).toMatchObject({ claimed: 1, retrying: 1 });
      expect(await round()).toMatchObject({ claimed: 0 }); // backing off: 30 s
      clock.advance(30_000);
      expect(await round()).toMatchObject({ claimed: 1, retrying: 1 });
      clock.advance(30_000);
      expect(await round()).toMatchObject({ claimed: 0 }); // then 60 s
      clock.advance(30_000);
      expect(await round()).toMatchObject({ claimed: 1, synced: 1 });
      expect(admin.calls).toHaveLength(3);
      expect(admin.calls.every((c) => JSON.stringify(c.variables).includes("UNSUBSCRIBED"))).toBe(true);
      expect(await prisma.consentSync.findUniqueOrThrow({ where: { shop_shopperId: { shop: TEST_SHOP, shopperId: shopper.id } } })).toMatchObject({ status: "synced", attempts: 3 });
    } finally {
      admin.restore();
    }
  });
});

describe("npm run nudge -- doctor", () => {
  const doctor = async (env: Record<string, string | undefined>) => {
    const lines: string[] = [];
    const code = await runCli(["doctor"], { out: (t) => lines.push(t), err: (t) => lines.push(t), env, now: () => new Date() });
    return { code, output: lines.join("\n") };
  };

  it.each(["postgresql://nudge:pw@127.0.0.1:1/nudge", "postgresql://nudge:pw@localhost:1/nudge"])("says the database at %s is unreachable, exits 1, and prints no stack or password", async (url) => {
    const { code, output } = await doctor({ ...process.env, DATABASE_URL: url, TWILIO_API_BASE_URL: fake.url });
    expect(code).toBe(1);
    expect(output).toMatch(/✗ database\s+can't open: .*(ECONNREFUSED|refused)/);
    expect(output).not.toMatch(/\n\s+at |:pw@/);
  });

  it("fails on a send stuck in 'sending' and counts overdue texts", async () => {
    // The doctor opens the database itself: this file's PostgreSQL schema, or a PGlite folder.
    const env: Record<string, string | undefined> = {
      ...process.env,
      NUDGE_DATA_DIR: join(dir, "data"),
      TWILIO_API_BASE_URL: fake.url,
      TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: GATEWAY_TOKEN,
    };
    // Closed before the doctor runs: PGlite can't share its folder with the doctor's handle.
    const db = await openDatabase({ url: env.DATABASE_URL, schema: env.DATABASE_SCHEMA, dataDir: env.NUDGE_DATA_DIR! });
    try {
      await db.sql.query(`INSERT INTO shop (domain, timezone, currency, settings, updated_at) VALUES ('doctor.myshopify.com', 'UTC', 'USD', '{}', now())`);
      const [shopper] = await db.sql.query<{ id: string }>(
        `INSERT INTO shopper (id, shop, phone, state, updated_at) VALUES (gen_random_uuid(), 'doctor.myshopify.com', NULL, '{}', now()) RETURNING id`,
      );
      // Due half an hour ago: one still waiting to be claimed, one claimed and never finished.
      await db.sql.query(
        `INSERT INTO scheduled_message (id, shop, shopper_id, dedupe_key, flow, step, due_at, status, claimed_at, updated_at)
         SELECT gen_random_uuid(), 'doctor.myshopify.com', $1, s, 'cart_recovery', 1, now() - interval '30 minutes', s, now() - interval '30 minutes', now()
         FROM unnest(ARRAY['scheduled', 'sending']) AS s`,
        [shopper!.id],
      );
    } finally {
      await db.close();
    }
    expect(await doctor(env)).toMatchObject({ code: 1, output: expect.stringMatching(/✗ sending\s+1 texts overdue by 5\+ minutes, 1 stuck sending/) });
  });
});
