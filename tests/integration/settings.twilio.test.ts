import type { PrismaClient } from "@prisma/client";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { encryptionKey } from "~/adapters/sms.server";
import { fixedClock, setClock } from "~/clock.server";
import { database } from "~/db.server";
import { action, loader } from "~/routes/app.settings";
import { sendTestSms, testSmsBody } from "~/services/test-sms.server";
import { connectTwilioAccount, describeTwilioConnection } from "~/services/twilio-connection.server";
import { readTwilioCredentials } from "~/services/twilio-credentials.server";
import { actionOutcome, adminRequest } from "../support/admin-request";
import { installShop } from "../support/shopify";

// The app's env (and so TWILIO_API_BASE_URL) is read once, when the first module uses it:
// start the fake Twilio before any import runs.
const fake = await vi.hoisted(async () => {
  const { startFakeTwilio } = await import("../mocks/twilio");
  const started = await startFakeTwilio();
  process.env.TWILIO_API_BASE_URL = started.url;
  return started;
});

const OWN = { sid: `AC${"c".repeat(32)}`, authToken: "own-token-abcdef0123456789wxyz", service: `MG${"d".repeat(32)}`, number: "+14155550100" };
const T = new Date("2026-11-24T15:00:00Z");
const clock = fixedClock(T);
let prisma: PrismaClient;

type Answer = { intent: string; ok: boolean; errors?: Record<string, string>; message?: string | null; friendlyName?: string; sid?: string; to?: string };

async function post(shop: string, form: Record<string, string>) {
  const result = await action({ request: await adminRequest("/app/settings", { shop, form }), params: {}, context: {} });
  return actionOutcome<Answer>(result);
}
const connect = (shop: string, form: Partial<Record<"accountSid" | "authToken" | "sender", string>>) =>
  post(shop, { intent: "connect", accountSid: OWN.sid, authToken: OWN.authToken, sender: OWN.service, ...form });

async function stored(shop: string) {
  const { settings } = await prisma.shop.findUniqueOrThrow({ where: { domain: shop } });
  return { settings, credentials: readTwilioCredentials(settings, encryptionKey()) };
}
async function pageData(shop: string) {
  return loader({ request: await adminRequest("/app/settings", { shop }), params: {}, context: {} });
}

beforeAll(async () => {
  setClock(clock);
  prisma = await installShop("twilio-settings.myshopify.com");
  fake.addAccount({ sid: OWN.sid, authToken: OWN.authToken, friendlyName: "Snow Devil Twilio", messagingServiceSids: [OWN.service], phoneNumbers: [OWN.number] });
});
afterEach(() => fake.setOffline(false));

describe("connecting a shop's own Twilio account in settings", () => {
  it("checks the credentials and the Messaging Service with Twilio, then stores them with the token sealed", async () => {
    const shop = "connect-ok.myshopify.com";
    await installShop(shop);
    const { status, body } = await connect(shop, {});
    expect(status).toBe(200);
    expect(body).toMatchObject({ intent: "connect", ok: true, friendlyName: "Snow Devil Twilio" });
    expect(fake.requests).toContain(`GET /2010-04-01/Accounts/${OWN.sid}.json`);
    expect(fake.requests).toContain(`GET /v1/Services/${OWN.service}`);
    const { settings, credentials } = await stored(shop);
    expect(credentials).toEqual({ accountSid: OWN.sid, authToken: OWN.authToken, messagingServiceSid: OWN.service });
    expect(JSON.stringify(settings)).not.toContain(OWN.authToken);
  });

  it("accepts a From number that is on the account, stored in E.164", async () => {
    const shop = "connect-number.myshopify.com";
    await installShop(shop);
    const { status } = await connect(shop, { sender: "+1 (415) 555-0100" });
    expect(status).toBe(200);
    expect(fake.requests).toContain(`GET /2010-04-01/Accounts/${OWN.sid}/IncomingPhoneNumbers.json`);
    expect((await stored(shop)).credentials).toMatchObject({ fromNumber: OWN.number });
  });

  it.each([
    ["a From number that isn't on the account", { sender: "+14155550199" }, "sender", /not a phone number on this Twilio account/],
    ["a Messaging Service of another account", { sender: `MG${"e".repeat(32)}` }, "sender", /no Messaging Service/],
  ])("rejects %s inline and stores nothing", async (_name, form, field, message) => {
    const shop = `connect-${field}-${form.sender!.slice(-4)}.myshopify.com`;
    await installShop(shop);
    const { status, body } = await connect(shop, form);
    expect(status).toBe(400);
    expect(body.errors?.[field]).toMatch(message);
    expect((await stored(shop)).settings).not.toHaveProperty("twilio");
  });

  it("says Twilio rejected the credentials for a wrong token, and keeps the account already stored", async () => {
    const shop = "connect-wrong-token.myshopify.com";
    await installShop(shop);
    expect((await connect(shop, {})).status).toBe(200);
    const before = await stored(shop);

    const { status, body } = await connect(shop, { authToken: "not-the-right-token-000000000000", sender: OWN.number });
    expect(status).toBe(400);
    expect(body.message).toMatch(/Twilio rejected these credentials/);
    expect((await stored(shop)).settings).toEqual(before.settings);
  });

  it("says it couldn't reach Twilio when Twilio is down, and stores nothing", async () => {
    const shop = "connect-offline.myshopify.com";
    await installShop(shop);
    fake.setOffline(true);
    const { status, body } = await connect(shop, {});
    expect(status).toBe(502);
    expect(body.message).toMatch(/Couldn't reach Twilio/);
    expect((await stored(shop)).settings).not.toHaveProperty("twilio");
  });

  it("points out malformed fields without calling Twilio", async () => {
    const shop = "connect-malformed.myshopify.com";
    await installShop(shop);
    const calls = fake.requests.length;
    const { status, body } = await connect(shop, { accountSid: "AC123", authToken: "short", sender: "twilio" });
    expect(status).toBe(400);
    expect(Object.keys(body.errors ?? {}).sort()).toEqual(["accountSid", "authToken", "sender"]);
    expect(fake.requests.length).toBe(calls);
  });

  it("never sends the token to the page: the loader shows the SID, the sender and the last four characters", async () => {
    const shop = "connect-masked.myshopify.com";
    await installShop(shop);
    await connect(shop, {});
    const data = await pageData(shop);
    expect(data.twilio).toEqual({ state: "own", accountSid: OWN.sid, sender: OWN.service, authToken: "••••••••wxyz" });
    expect(JSON.stringify(data)).not.toContain(OWN.authToken.slice(0, -4));
  });

  it("keeps the stored token when the field is left empty, but only for the same account", async () => {
    const shop = "connect-keep-token.myshopify.com";
    await installShop(shop);
    await connect(shop, {});
    const { status } = await connect(shop, { authToken: "", sender: OWN.number });
    expect(status).toBe(200);
    expect((await stored(shop)).credentials).toEqual({ accountSid: OWN.sid, authToken: OWN.authToken, fromNumber: OWN.number });

    const other = await connect(shop, { accountSid: `AC${"f".repeat(32)}`, authToken: "" });
    expect(other.status).toBe(400);
    expect(other.body.errors?.authToken).toMatch(/Enter the Auth Token/);
  });

  it("disconnects: the shop's account is removed, other settings stay, and texts fall back to the app's account", async () => {
    const shop = "connect-disconnect.myshopify.com";
    await installShop(shop);
    await connect(shop, {});
    const { status } = await post(shop, { intent: "disconnect" });
    expect(status).toBe(200);
    const { settings, credentials } = await stored(shop);
    expect(credentials).toBeNull();
    expect(settings).not.toHaveProperty("twilio");
    expect(settings).toHaveProperty("journey.holdoutPercent.cart_recovery", 0);
    expect((await pageData(shop)).twilio).toEqual({ state: "app", unreadable: false });
  });

  it("reports 'not connected' without an app account, and a stored account it can't decrypt", async () => {
    const sealedElsewhere = { twilio: { accountSid: OWN.sid, sealedAuthToken: "v1:AAAA:BBBB:CCCC", messagingServiceSid: OWN.service } };
    expect(describeTwilioConnection({}, { key: encryptionKey(), appAccount: false })).toEqual({ state: "none", unreadable: false });
    expect(describeTwilioConnection(sealedElsewhere, { key: encryptionKey(), appAccount: false })).toEqual({ state: "none", unreadable: true });
  });

  it("refuses to store a token when the app has no encryption key", async () => {
    const check = vi.fn();
    const result = await connectTwilioAccount({ sql: (await database()).sql, key: null, check }, "twilio-settings.myshopify.com", {
      accountSid: OWN.sid,
      authToken: OWN.authToken,
      sender: OWN.service,
    });
    expect(result).toMatchObject({ ok: false, problem: "invalid", message: expect.stringMatching(/NUDGE_ENCRYPTION_KEY/) });
    expect(check).not.toHaveBeenCalled();
  });

  it("saving the other settings keeps the connected account, and a mistake is answered 400 inline", async () => {
    const shop = "connect-then-save.myshopify.com";
    await installShop(shop);
    await connect(shop, {});
    const form = { brandName: "Kept", startHour: "9", endHour: "20", capPer8h: "1", capPer24h: "3", ratePerSecond: "1", segmentPrice: "0.01", clickWindowDays: "5" };
    const wrong = await post(shop, { intent: "save", ...form, endHour: "7" });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors).toHaveProperty("endHour");
    expect((await post(shop, { intent: "save", ...form })).status).toBe(200);
    expect((await stored(shop)).credentials).toMatchObject({ accountSid: OWN.sid, authToken: OWN.authToken });
    expect((await pageData(shop)).values.brandName).toBe("Kept");
  });

  it("answers 400 to an action it doesn't know", async () => {
    const { status, body } = await post("twilio-settings.myshopify.com", { intent: "format_disk" });
    expect(status).toBe(400);
    expect(body.ok).toBe(false);
  });
});

describe("sending a test text from settings", () => {
  const PHONE = "+1 212 555 0177";
  const sentTo = (to: string) => fake.messages.filter((m) => m.to === to);

  it("sends one text right away through the shop's own account, with the brand and a test body", async () => {
    const shop = "test-sms-own.myshopify.com";
    await installShop(shop);
    await prisma.shop.update({ where: { domain: shop }, data: { settings: { sending: { brandName: "Snow Devil" } } } });
    await connect(shop, {});
    const { status, body } = await post(shop, { intent: "test_sms", phone: PHONE });
    expect(status).toBe(200);
    const [message, ...more] = sentTo("+12125550177");
    expect(more).toEqual([]);
    expect(body).toEqual({ intent: "test_sms", ok: true, sid: message!.sid, to: "+12125550177" });
    expect(message).toMatchObject({ accountSid: OWN.sid, messagingServiceSid: OWN.service, body: testSmsBody("Snow Devil"), statusCallback: null });
    expect(message!.body).toMatch(/^Snow Devil: This is a test from Nudge/);
    // Not a marketing message: no shopper, no outbox row, nothing for caps or attribution to count.
    expect(await prisma.scheduledMessage.count({ where: { shop } })).toBe(0);
    expect(await prisma.shopper.count({ where: { shop } })).toBe(0);
  });

  it("uses the app's account when the shop has none", async () => {
    const shop = "test-sms-app.myshopify.com";
    await installShop(shop, { name: "Appy Shop" });
    const { status } = await post(shop, { intent: "test_sms", phone: "+1 212 555 0178" });
    expect(status).toBe(200);
    expect(sentTo("+12125550178")).toMatchObject([{ accountSid: process.env.TWILIO_ACCOUNT_SID, messagingServiceSid: process.env.TWILIO_MESSAGING_SERVICE_SID, body: testSmsBody("Appy Shop") }]);
  });

  it.each(["12345", "+1 555 0100", "call me maybe", ""])("rejects the phone %j inline and sends nothing", async (phone) => {
    const before = fake.messages.length;
    const { status, body } = await post("twilio-settings.myshopify.com", { intent: "test_sms", phone });
    expect(status).toBe(400);
    expect(body.errors?.phone).toBeTruthy();
    expect(fake.messages.length).toBe(before);
  });

  it("shows Twilio's error when Twilio won't send it", async () => {
    fake.script("+12125550179", { kind: "error", status: 400, code: 21610, message: "Attempt to send to unsubscribed recipient" });
    const { status, body } = await post("twilio-settings.myshopify.com", { intent: "test_sms", phone: "+12125550179" });
    expect(status).toBe(502);
    expect(body.message).toMatch(/21610.*unsubscribed recipient/);
  });

  it("allows 5 test texts an hour per shop, then says when to try again", async () => {
    const shop = "test-sms-limit.myshopify.com";
    await installShop(shop);
    const send = () => post(shop, { intent: "test_sms", phone: "+1 212 555 0180" });
    for (let i = 0; i < 5; i++) {
      expect((await send()).status).toBe(200);
      clock.advance(60_000);
    }
    const limited = await send();
    expect(limited.status).toBe(429);
    expect(limited.body.message).toMatch(/Try again in 55 minutes/);
    expect(sentTo("+12125550180")).toHaveLength(5);
    // Another shop has its own allowance.
    expect((await post("twilio-settings.myshopify.com", { intent: "test_sms", phone: "+1 212 555 0181" })).status).toBe(200);

    clock.advance(55 * 60_000);
    expect((await send()).status).toBe(200);
    expect(sentTo("+12125550180")).toHaveLength(6);
  });

  it("lets only 5 of many simultaneous clicks through", async () => {
    const shop = "test-sms-burst.myshopify.com";
    await installShop(shop);
    const { sql } = await database();
    const gateway = { sender: "test", send: vi.fn(async () => ({ ok: true as const, sid: "SM1", status: "queued" })), findSent: vi.fn(), listSent: vi.fn() };
    const results = await Promise.all(Array.from({ length: 8 }, () => sendTestSms({ sql, gatewayFor: () => gateway, now: clock.now() }, shop, { phone: "+12125550182" })));
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    expect(results.filter((r) => !r.ok && r.problem === "rate_limited")).toHaveLength(3);
    expect(gateway.send).toHaveBeenCalledTimes(5);
  });
});
