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
import { action as customersRedact } from "~/routes/webhooks.customers.redact";
import { action as dataRequest } from "~/routes/webhooks.customers.data_request";
import { sessionStorage } from "~/shopify.server";
import { fakeShopifyAdmin, mutationResult, throttled } from "../mocks/shopify-admin";
import { adminRequest } from "../support/admin-request";
import { checkoutPayload, fixture, installShop, TEST_SHOP, webhookRequest } from "../support/shopify";
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
const fake = await vi.hoisted(async () => {
  const { startFakeTwilio } = await import("../mocks/twilio");
  const started = await startFakeTwilio();
  process.env.TWILIO_API_BASE_URL = started.url;
  return started;
});

const T = new Date("2026-11-24T15:00:00Z"); // 10:00 in New York
const MIN = 60_000;
const clock = fixedClock(T);
const ACCESS_TOKEN = "shpat_PRIV_1234567890abcdef1234567890";
const REFRESH_TOKEN = "shprt_PRIV_0987654321fedcba0987654321";
const OWN = { sid: `AC${"e".repeat(32)}`, token: "own-twilio-token-PRIV-77aa88bb99", service: `MG${"f".repeat(32)}` };
const WRONG_TOKEN = "wrong-twilio-token-PRIV-55cc66dd";
const secretValues = () => [SECRETS.SHOPIFY_API_SECRET, SECRETS.TWILIO_AUTH_TOKEN, SECRETS.NUDGE_ENCRYPTION_KEY, ACCESS_TOKEN, REFRESH_TOKEN, OWN.token, WRONG_TOKEN];

const ZED = { phone: "+16135550144", name: "Zebulon", email: "zebulon.q@example.org", reply: "my reply xyzzy plugh", customerId: "7001" };
const YOLANDA = { phone: "+12125550145", name: "Yolanda", email: "yolanda.r@example.org", reply: "hello from yolanda qwerty", customerId: "7002" };
/** Every way Zed's number or words could have been stored. */
const ZED_NEEDLES = [ZED.phone, "6135550144", "(613) 555-0144", "613-555-0144", "613 555 0144", "613.555.0144", "555-0144", ZED.name, ZED.email, ZED.reply, `Hey ${ZED.name}`];

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
  Object.assign(payload, { email: who.email, customer: { ...payload.customer, first_name: who.name, email: who.email, phone: who.phone } });
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

/** Text and JSON columns of every table in this database's schema that contain any of `needles`. */
async function columnsHolding(needles: string[]): Promise<string[]> {
  const { sql } = await database();
  const columns = await sql.query<{ table_name: string; column_name: string }>(
    `SELECT c.table_name, c.column_name FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
     WHERE c.table_schema = current_schema()
       AND (c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb') OR c.udt_name IN ('_text', '_varchar', '_jsonb'))`,
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
        [ZED, "priv-z"],
        [YOLANDA, "priv-y"],
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

describe("customers/redact", () => {
  it("leaves the shopper's phone (in any format), name, email and texts in no column of any table", async () => {
    const request = { ...fixture("customers_data_request"), shop_domain: TEST_SHOP, customer: { id: Number(ZED.customerId), email: ZED.email, phone: ZED.phone }, data_request: { id: 77 } };
    expect((await dataRequest({ request: webhookRequest("customers/data_request", request), params: {}, context: {} })).status).toBe(200);
    // Before: the shopper is all over the database, and so is the other one.
    expect((await columnsHolding(ZED_NEEDLES)).length).toBeGreaterThan(3);
    const yolandaBefore = await columnsHolding([YOLANDA.phone, YOLANDA.name, YOLANDA.reply]);
    expect(yolandaBefore).toEqual(expect.arrayContaining(["shopper.phone", "shopper.first_name", "journey_event.data"]));

    const redact = { ...fixture("customers_redact"), shop_domain: TEST_SHOP, customer: { id: Number(ZED.customerId), email: ZED.email, phone: ZED.phone } };
    expect((await customersRedact({ request: webhookRequest("customers/redact", redact), params: {}, context: {} })).status).toBe(200);

    expect(await columnsHolding(ZED_NEEDLES)).toEqual([]);
    expect(await columnsHolding([YOLANDA.phone, YOLANDA.name, YOLANDA.reply])).toEqual(yolandaBefore);
    expect(await prisma.shopper.findFirstOrThrow({ where: { phone: YOLANDA.phone } })).toMatchObject({ firstName: YOLANDA.name, email: YOLANDA.email });
  });
});
