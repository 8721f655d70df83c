import { Session } from "@shopify/shopify-api";
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { shopifyConsentPusher } from "~/adapters/shopify-consent.server";
import { shopifyDiscountMinter } from "~/adapters/shopify-discounts.server";
import { gatewayFromEnv, gatewayResolver } from "~/adapters/sms.server";
import { fixedClock, setClock } from "~/clock.server";
import { syncConsentChanges } from "~/consent-sync/sync-consent.server";
import { database } from "~/db.server";
import { dispatchDueMessages } from "~/dispatch/dispatch.server";
import { runCli } from "~/ops/cli.server";
import { action as settingsAction } from "~/routes/app.settings";
import { action as shopperAction } from "~/routes/app.shoppers.$id";
import { action as inbound } from "~/routes/twilio.inbound";
import { action as status } from "~/routes/twilio.status";
import { action as checkoutsCreate } from "~/routes/webhooks.checkouts.create";
import { queueOrderImport } from "~/order-import/queue.server";
import { loader as exportLoader } from "~/routes/app.data-exports.$id";
import { loader as shopperLoader } from "~/routes/app.shoppers.$id";
import { loader as followLink } from "~/routes/r.$id";
import { action as uninstalled } from "~/routes/webhooks.app.uninstalled";
import { action as customersRedact } from "~/routes/webhooks.customers.redact";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { action as shopRedact } from "~/routes/webhooks.shop.redact";
import { cartRecoveryLift } from "~/services/holdout-lift.server";
import { action as dataRequest } from "~/routes/webhooks.customers.data_request";
import { sessionStorage } from "~/shopify.server";
import { fakeShopifyAdmin, mutationResult, throttled } from "../mocks/shopify-admin";
import { adminRequest } from "../support/admin-request";
import { rowsOfShop, shopRowsLeft } from "../support/db";
import { checkoutPayload, fixture, installShop, orderPayload, TEST_SHOP, webhookRequest } from "../support/shopify";
import { twilioWebhook } from "../support/twilio";

// Privacy: after customers/redact nothing of the shopper is left in any column of any table,
// and no secret reaches a log line at any level, errors included.

// Secrets with values no test default shares, set before the app reads its environment once;
// the fake Twilio starts first so TWILIO_API_BASE_URL points at it.
const SECRETS = vi.hoisted(() => {
  const values = {
    SHOPIFY_API_SECRET: "shopify-api-secret-PRIV-9f8e7d6c",
    TWILIO_AUTH_TOKEN: "twilio-auth-token-PRIV-0a1b2c3d4e",
    NUDGE_ENCRYPTION_KEY: Buffer.alloc(32, 0x5c).toString("base64"),
    LOG_LEVEL: "debug",
  };
  Object.assign(process.env, values);
  return values;
});
const fake = await vi.hoisted(async () => (await import("../support/twilio")).startFakeTwilioForApp());

const T = new Date("2026-11-24T15:00:00Z"); // 10:00 in New York
const MIN = 60_000;
const clock = fixedClock(T);
const ACCESS_TOKEN = "shpat_PRIV_1234567890abcdef1234567890";
const REFRESH_TOKEN = "shprt_PRIV_0987654321fedcba0987654321";
const OWN = { sid: `AC${"e".repeat(32)}`, token: "own-twilio-token-PRIV-77aa88bb99", service: `MG${"f".repeat(32)}` };
const WRONG_TOKEN = "wrong-twilio-token-PRIV-55cc66dd";
const secretValues = () => [SECRETS.SHOPIFY_API_SECRET, SECRETS.TWILIO_AUTH_TOKEN, SECRETS.NUDGE_ENCRYPTION_KEY, ACCESS_TOKEN, REFRESH_TOKEN, OWN.token, WRONG_TOKEN];

const ZED = { phone: "+16135550144", name: "Zebulon", email: "zebulon.q@example.org", reply: "my reply xyzzy plugh", customerId: "7001", token: "ck-zed-4f9a1c", key: "zedkey7c1e9b3a" };
const YOLANDA = { phone: "+12125550145", name: "Yolanda", email: "yolanda.r@example.org", reply: "hello from yolanda qwerty", customerId: "7002", token: "ck-yol-8e2d7b", key: "yolkey5a0f6d2c" };
/** Every way Zed's number or words could have been stored, and his checkout's tokens and recovery key. */
const ZED_NEEDLES = [
  ...[ZED.phone, "6135550144", "(613) 555-0144", "613-555-0144", "613 555 0144", "613.555.0144", "555-0144", ZED.name, ZED.email, ZED.reply, `Hey ${ZED.name}`],
  ...[ZED.token, ZED.key],
];

const OTHER = "privacy-other.myshopify.com";
/** Tables without a shop column that shop/redact may leave as they are, and why. */
const KEPT_WITHOUT_SHOP = { nudge_migrations: "which migrations ran: no shop's data" };

let prisma: PrismaClient;
const logged: string[] = [];
const restore: (() => void)[] = [];

/** Everything written to stdout, stderr or the console from here on is also kept in `logged`. */
function captureOutput() {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      logged.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
    restore.push(() => (stream.write = write as typeof stream.write));
  }
  for (const level of ["log", "info", "warn", "error", "debug", "trace"] as const) {
    const original = console[level];
    console[level] = (...args: unknown[]) => {
      logged.push(args.map((a) => (typeof a === "string" ? a : a instanceof Error ? `${a.message}\n${a.stack}` : JSON.stringify(a))).join(" "));
      original(...args);
    };
    restore.push(() => (console[level] = original));
  }
}

const checkout = (who: typeof ZED, token: string) => {
  const payload = checkoutPayload({ token, createdAt: T, phone: who.phone, customerId: who.customerId });
  Object.assign(payload, {
    email: who.email,
    customer: { ...payload.customer, first_name: who.name, email: who.email, phone: who.phone },
    // Shopify's recovery URL: the cart token in the path, and the key that opens the checkout.
    abandoned_checkout_url: `https://${TEST_SHOP}/checkouts/cn/${payload.cart_token}/recover?key=${who.key}`,
  });
  return payload;
};

/** One dispatcher tick as the worker runs it: the shop's gateway, Shopify discount codes, short links. */
async function dispatch() {
  const { sql } = await database();
  return dispatchDueMessages({
    sql,
    gatewayFor: gatewayResolver(gatewayFromEnv()),
    mintDiscount: shopifyDiscountMinter,
    workerId: "privacy",
    now: () => clock.now(),
    statusCallbackUrl: "https://nudge.test/twilio/status",
    linkBase: "https://nudge.test",
  });
}

/** A click on a tracked link, from a phone. */
const follow = (id: string) => followLink({ request: new Request(`https://nudge.test/r/${id}`, { headers: { "user-agent": "Mozilla/5.0 (iPhone) Safari" } }), params: { id }, context: {} });

/** What the merchant sees: the cart flow's lift, clicks and attributed revenue. */
async function merchantNumbers() {
  const { sql } = await database();
  const lift = await cartRecoveryLift(sql, TEST_SHOP, { from: new Date(T.getTime() - 86_400_000), to: new Date(T.getTime() + 86_400_000) });
  const [totals] = await sql.query(
    `SELECT (SELECT sum(clicks)::int FROM short_link WHERE shop = $1) AS clicks,
            (SELECT count(DISTINCT message_id)::int FROM short_link WHERE shop = $1 AND clicks > 0) AS clicked_texts,
            (SELECT sum(revenue)::text FROM attribution WHERE shop = $1) AS revenue,
            (SELECT count(*)::int FROM "order" WHERE shop = $1) AS orders`,
    [TEST_SHOP],
  );
  return { lift, totals };
}

/** Text and JSON columns of every table in this database's schema that contain any of `needles`. */
async function columnsHolding(needles: string[]): Promise<string[]> {
  const { sql } = await database();
  const columns = await sql.query<{ table_name: string; column_name: string }>(
    `SELECT c.table_name, c.column_name FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
     WHERE c.table_schema = current_schema()
       AND (c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb') OR c.udt_name IN ('_text', '_varchar', '_jsonb'))
     ORDER BY c.table_name, c.column_name`, // the catalog's own order varies with the plan
  );
  expect(columns.length).toBeGreaterThan(20); // the query found the schema
  const found: string[] = [];
  const patterns = needles.map((n) => `%${n.replace(/[\\%_]/g, "\\$&")}%`);
  for (const { table_name, column_name } of columns) {
    const [row] = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table_name}" WHERE "${column_name}"::text ILIKE ANY($1::text[])`, [patterns]);
    if (row!.n > 0) found.push(`${table_name}.${column_name}`);
  }
  return found;
}

beforeAll(async () => {
  captureOutput();
  setClock(clock);
  prisma = await installShop(TEST_SHOP, { name: "Snow Devil" });
  // An expiring offline token with a day left, so no background call renews it during the run.
  const session = new Session({ id: `offline_${TEST_SHOP}`, shop: TEST_SHOP, state: "x", isOnline: false, accessToken: ACCESS_TOKEN, scope: process.env.SCOPES });
  Object.assign(session, { expires: new Date(Date.now() + 86_400_000), refreshToken: REFRESH_TOKEN, refreshTokenExpires: new Date(Date.now() + 90 * 86_400_000) });
  await sessionStorage.storeSession(session);
  fake.addAccount({ sid: OWN.sid, authToken: OWN.token, messagingServiceSids: [OWN.service] });
});
afterAll(async () => {
  for (const undo of restore.reverse()) undo();
  await fake.close();
});

describe("a full run, errors included, logs no secret", () => {
  it("runs checkouts, replies, Twilio failures, Shopify throttling, settings and the doctor at log level debug", async () => {
    // The Shopify Admin API throttles the first discount codes, and fails consent syncs outright.
    const admin = fakeShopifyAdmin((call) => (call.query.includes("discountCodeBasicCreate") ? throttled() : new Response("upstream broke", { status: 500 })));
    try {
      for (const [who, token] of [
        [ZED, ZED.token],
        [YOLANDA, YOLANDA.token],
      ] as const) {
        expect((await checkoutsCreate({ request: webhookRequest("checkouts/create", checkout(who, token)), params: {}, context: {} })).status).toBe(200);
      }
      expect((await checkoutsCreate({ request: webhookRequest("checkouts/create", checkout(ZED, "forged"), { secret: "nope" }), params: {}, context: {} })).status).toBe(401);

      // A wrong token for the shop's own Twilio account, then the right one.
      const connect = async (authToken: string) =>
        settingsAction({ request: await adminRequest("/app/settings", { form: { intent: "connect", accountSid: OWN.sid, authToken, sender: OWN.service } }), params: {}, context: {} });
      await connect(WRONG_TOKEN);
      await connect(OWN.token);
      expect((await prisma.shop.findUniqueOrThrow({ where: { domain: TEST_SHOP } })).settings).toMatchObject({ twilio: { accountSid: OWN.sid } });

      clock.set(new Date(T.getTime() + 20 * MIN));
      fake.script(YOLANDA.phone, { kind: "error", status: 400, code: 21211 }); // a failed send
      expect(await dispatch()).toMatchObject({ deferred: 2 }); // Shopify throttled both codes
      admin.answerWith((call) =>
        call.query.includes("discountCodeBasicCreate")
          ? mutationResult("discountCodeBasicCreate", { codeDiscountNode: { id: "gid://shopify/DiscountCodeNode/1" }, userErrors: [] })
          : new Response("upstream broke", { status: 500 }),
      );
      clock.set(new Date(T.getTime() + 30 * MIN));
      expect(await dispatch()).toMatchObject({ sent: 1, failed: 1 });
      expect(admin.calls.every((c) => c.accessToken === ACCESS_TOKEN)).toBe(true); // the secret did travel, just not to a log

      const sent = fake.messages.find((m) => m.to === ZED.phone)!;
      expect(sent.body).toContain(`Hey ${ZED.name}`);
      await status({ request: twilioWebhook("/twilio/status", { AccountSid: OWN.sid, MessageSid: sent.sid, MessageStatus: "delivered" }, OWN.token), params: {}, context: {} });
      await status({ request: twilioWebhook("/twilio/status", { MessageSid: sent.sid, MessageStatus: "delivered" }, "forged-token-forged-token"), params: {}, context: {} });
      for (const who of [ZED, YOLANDA]) {
        await inbound({ request: twilioWebhook("/twilio/inbound", { AccountSid: OWN.sid, From: who.phone, Body: who.reply, MessageSid: `SM${who.customerId}` }, OWN.token), params: {}, context: {} });
      }
      // The merchant opts Yolanda out: the consent sync to Shopify fails and is retried.
      const yolanda = await prisma.shopper.findFirstOrThrow({ where: { phone: YOLANDA.phone } });
      await shopperAction({ request: await adminRequest(`/app/shoppers/${yolanda.id}`, { form: { intent: "opt_out" } }), params: { id: yolanda.id }, context: {} });
      const { sql } = await database();
      for (const wait of [0, 30_000, 60_000]) {
        clock.advance(wait);
        expect(await syncConsentChanges({ sql, pushConsent: shopifyConsentPusher, workerId: "privacy", now: () => clock.now() })).toMatchObject({ retrying: 1 });
      }
      expect(admin.calls.filter((c) => c.query.includes("customerSmsMarketingConsentUpdate"))).toHaveLength(3);

      const out: string[] = [];
      await runCli(["doctor"], { out: (t) => out.push(t), err: (t) => out.push(t), env: { ...process.env, TWILIO_AUTH_TOKEN: WRONG_TOKEN }, now: () => new Date() });
      logged.push(...out);
    } finally {
      admin.restore();
    }

    const all = logged.join("\n");
    // The run did log: warnings for the forgeries and failures, debug and info lines.
    expect(all).toContain("Twilio webhook with a bad signature rejected");
    expect(all).toContain("could not create a discount code");
    expect(all).toContain("Twilio credentials check failed");
    expect(all).toMatch(/twilio\s+Twilio rejected/);
    for (const secret of secretValues()) expect(all.includes(secret) ? secret : null).toBeNull();
  });
});

describe("customers/data_request", () => {
  it("gives the merchant the export as a JSON download from the shopper's page, and no other shop", async () => {
    const request = {
      ...fixture("customers_data_request"),
      shop_domain: TEST_SHOP,
      customer: { id: Number(YOLANDA.customerId), email: YOLANDA.email, phone: YOLANDA.phone },
      data_request: { id: 4242 },
    };
    expect((await dataRequest({ request: webhookRequest("customers/data_request", request), params: {}, context: {} })).status).toBe(200);
    const yolanda = await prisma.shopper.findFirstOrThrow({ where: { shop: TEST_SHOP, phone: YOLANDA.phone } });

    const page = await shopperLoader({ request: await adminRequest(`/app/shoppers/${yolanda.id}`), params: { id: yolanda.id }, context: {} });
    expect(page.dataExports).toEqual([expect.objectContaining({ requestId: "4242" })]);
    const { id } = page.dataExports[0]!;
    const download = async (shop = TEST_SHOP, exportId = id) => exportLoader({ request: await adminRequest(`/app/data-exports/${exportId}`, { shop }), params: { id: exportId }, context: {} });

    const res = await download();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="customer-data-4242.json"');
    expect(res.headers.get("cache-control")).toBe("no-store");
    const file = await res.json();
    expect(file).toMatchObject({ shop: TEST_SHOP, dataRequestId: "4242", customer: { email: YOLANDA.email } });
    expect(file.data.shoppers).toEqual([expect.objectContaining({ id: yolanda.id, phone: YOLANDA.phone, first_name: YOLANDA.name })]);
    expect(file.data.events.some((e: { data: unknown }) => JSON.stringify(e.data).includes(YOLANDA.reply))).toBe(true);

    // Another shop's admin, a made-up id and a malformed one all get a 404.
    await installShop(OTHER);
    expect((await download(OTHER)).status).toBe(404);
    expect((await download(TEST_SHOP, "00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await download(TEST_SHOP, "not-a-uuid")).status).toBe(404);
  });
});

describe("customers/redact", () => {
  it("leaves the shopper's phone (in any format), name, email, texts and checkout tokens in no column of any table, and keeps the numbers", async () => {
    const request = { ...fixture("customers_data_request"), shop_domain: TEST_SHOP, customer: { id: Number(ZED.customerId), email: ZED.email, phone: ZED.phone }, data_request: { id: 77 } };
    expect((await dataRequest({ request: webhookRequest("customers/data_request", request), params: {}, context: {} })).status).toBe(200);
    // Zed clicks the link in his text (it opens his checkout, key and all) and buys.
    const linkId = /https:\/\/nudge\.test\/r\/([0-9A-Za-z]{10})/.exec(fake.messages.find((m) => m.to === ZED.phone)!.body)![1]!;
    const before = await follow(linkId);
    expect(before.status).toBe(302);
    expect(before.headers.get("location")).toContain(ZED.key);
    const order = orderPayload({ id: "9101", checkoutToken: ZED.token, cartToken: `cart-${ZED.token}`, createdAt: new Date(T.getTime() + 40 * MIN) });
    Object.assign(order, { customer: { ...order.customer, id: Number(ZED.customerId), phone: ZED.phone, email: ZED.email, first_name: ZED.name } });
    expect((await ordersCreate({ request: webhookRequest("orders/create", order), params: {}, context: {} })).status).toBe(200);
    expect(await prisma.attribution.count({ where: { shop: TEST_SHOP } })).toBe(1);

    // Before: the shopper is all over the database, and so is the other one.
    expect((await columnsHolding(ZED_NEEDLES)).length).toBeGreaterThan(3);
    expect(await columnsHolding([ZED.key])).toEqual(["checkout.abandoned_checkout_url", "short_link.target"]);
    const yolandaBefore = await columnsHolding([YOLANDA.phone, YOLANDA.name, YOLANDA.reply]);
    expect(yolandaBefore).toEqual(expect.arrayContaining(["shopper.phone", "shopper.first_name", "journey_event.data"]));
    const numbersBefore = await merchantNumbers();
    expect(numbersBefore.lift).toMatchObject({ treated: { shoppers: 1, converted: 1 } });

    const redact = { ...fixture("customers_redact"), shop_domain: TEST_SHOP, customer: { id: Number(ZED.customerId), email: ZED.email, phone: ZED.phone } };
    expect((await customersRedact({ request: webhookRequest("customers/redact", redact), params: {}, context: {} })).status).toBe(200);

    // The merchant's totals are the same: the lift still joins the text to its checkout and order.
    expect(await merchantNumbers()).toEqual(numbersBefore);
    // His link now leads to the shop's home page, not his checkout; the click is still counted.
    const after = await follow(linkId);
    expect(after.status).toBe(302);
    expect(after.headers.get("location")).toBe(`https://${TEST_SHOP}/`);
    expect(await columnsHolding(ZED_NEEDLES)).toEqual([]);
    expect(await columnsHolding([YOLANDA.phone, YOLANDA.name, YOLANDA.reply])).toEqual(yolandaBefore);
    expect(await prisma.shopper.findFirstOrThrow({ where: { phone: YOLANDA.phone } })).toMatchObject({ firstName: YOLANDA.name, email: YOLANDA.email });
  });
});

describe("shop/redact", () => {
  it("after app/uninstalled, leaves no row of the shop in any table, a table added later included, and every other shop's rows as they were", async () => {
    const { sql } = await database();
    await queueOrderImport(sql, TEST_SHOP, clock.now());
    // A table someone adds later, with no erasure code of its own: the shop column is enough.
    await sql.exec(`CREATE TABLE later_feature (id serial PRIMARY KEY, shop text NOT NULL, note text)`);
    await sql.query(`INSERT INTO later_feature (shop, note) VALUES ($1, 'kept by a later feature'), ($2, 'the other shop''s')`, [TEST_SHOP, OTHER]);
    await checkoutsCreate({ request: webhookRequest("checkouts/create", checkout(YOLANDA, "ck-other-1"), { shop: OTHER }), params: {}, context: {} });
    const otherBefore = await rowsOfShop(OTHER);
    expect(otherBefore.later_feature).toHaveLength(1);

    // Before: the shop is in the tables the hand-kept list used to miss, and in the rest.
    const before = await rowsOfShop(TEST_SHOP);
    for (const table of ["discount_code", "short_link", "attribution", "order_import", "session", "data_export", "webhook_receipt", "shop", "later_feature"]) {
      expect(before[table]?.length ?? 0, table).toBeGreaterThan(0);
    }

    const uninstall = { ...fixture("app_uninstalled"), myshopify_domain: TEST_SHOP, domain: TEST_SHOP };
    expect((await uninstalled({ request: webhookRequest("app/uninstalled", uninstall), params: {}, context: {} })).status).toBe(200);
    const redact = () => ({ ...fixture("shop_redact"), shop_domain: TEST_SHOP });
    expect((await shopRedact({ request: webhookRequest("shop/redact", redact(), { webhookId: "shop-redact-1" }), params: {}, context: {} })).status).toBe(200);
    expect(await shopRowsLeft(TEST_SHOP, KEPT_WITHOUT_SHOP)).toEqual({});

    // Shopify redelivers it, and a late checkout arrives: still nothing, not even a receipt.
    expect((await shopRedact({ request: webhookRequest("shop/redact", redact(), { webhookId: "shop-redact-1" }), params: {}, context: {} })).status).toBe(200);
    expect((await shopRedact({ request: webhookRequest("shop/redact", redact()), params: {}, context: {} })).status).toBe(200);
    expect((await checkoutsCreate({ request: webhookRequest("checkouts/create", checkout(YOLANDA, "ck-late")), params: {}, context: {} })).status).toBe(200);
    expect(await shopRowsLeft(TEST_SHOP, KEPT_WITHOUT_SHOP)).toEqual({});
    expect(await rowsOfShop(OTHER)).toEqual(otherBefore);
  });

  it("fails for a table that holds rows by some other key than the shop, until its erasure is decided", async () => {
    const { sql } = await database();
    await sql.exec(`CREATE TABLE shopper_note (shopper_id uuid, note text)`);
    try {
      expect(await shopRowsLeft(TEST_SHOP, KEPT_WITHOUT_SHOP)).toMatchObject({ shopper_note: "no shop column: erase it on shop/redact or list it as kept" });
    } finally {
      await sql.exec(`DROP TABLE shopper_note`);
    }
  });
});
