import twilio from "twilio";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { database } from "~/db.server";
import { action, loader, default as SettingsPage } from "~/routes/app.settings";
import { action as inbound } from "~/routes/twilio.inbound";
import { actionOutcome, adminRequest } from "../support/admin-request";
import { renderPage } from "../support/render-page";
import { installShop } from "../support/shopify";

// The app's env (and so TWILIO_API_BASE_URL) is read once: start the fake Twilio first.
const fake = await vi.hoisted(async () => {
  const { startFakeTwilio } = await import("../mocks/twilio");
  const started = await startFakeTwilio();
  process.env.TWILIO_API_BASE_URL = started.url;
  return started;
});

const hex = (c: string) => c.repeat(32);
const MERCHANT_URL = "https://merchant.example/sms";
let OUR_URL: string;

type Answer = { intent: string; ok: boolean; message?: string; replies?: { ok: boolean; message?: string } };
async function post(shop: string, form: Record<string, string>) {
  return actionOutcome<Answer>(await action({ request: await adminRequest("/app/settings", { shop, form }), params: {}, context: {} }));
}
async function page(shop: string) {
  return loader({ request: await adminRequest("/app/settings", { shop }), params: {}, context: {} });
}

/** An account of its own for each test (tag: one hex digit), so the fake's senders don't leak between tests. */
async function account(tag: string, inbound: Record<string, { url?: string | null; deferToNumber?: boolean; applicationSid?: string | null }> = {}) {
  const sid = `AC${hex(tag)}`;
  const authToken = `token-${tag.repeat(24)}`;
  const service = `MG${hex(tag)}`;
  const number = `+1415555${String(tag.charCodeAt(0)).padStart(4, "0")}`;
  fake.addAccount({ sid, authToken, friendlyName: `Account ${tag}`, messagingServiceSids: [service], phoneNumbers: [number], inbound });
  const shop = `replies-${tag}.myshopify.com`;
  await installShop(shop);
  const connect = (sender: string) => post(shop, { intent: "connect", accountSid: sid, authToken, sender });
  return { sid, authToken, service, number, shop, connect };
}

beforeAll(() => {
  OUR_URL = new URL("/twilio/inbound", process.env.SHOPIFY_APP_URL).toString();
});

describe("replies to a shop's own Twilio sender reach Nudge", () => {
  it("connecting with a Messaging Service points its incoming-message URL at /twilio/inbound, and disconnecting puts the old one back", async () => {
    const a = await account("a", { [`MG${hex("a")}`]: { url: MERCHANT_URL, deferToNumber: true } });
    const { status, body } = await a.connect(a.service);
    expect(status).toBe(200);
    expect(body.replies).toEqual({ ok: true });
    expect(fake.requests).toContain(`POST /v1/Services/${a.service}`);
    expect(fake.inboundOf(a.sid, a.service)).toMatchObject({ url: OUR_URL, method: "POST", deferToNumber: false });
    expect((await page(a.shop)).replies).toMatchObject({ state: "reach_nudge", sender: a.service });

    expect((await post(a.shop, { intent: "disconnect" })).body).toMatchObject({ ok: true, replies: { ok: true } });
    expect(fake.inboundOf(a.sid, a.service)).toMatchObject({ url: MERCHANT_URL, deferToNumber: true });
  });

  it("connecting with a phone number sets its SmsUrl (by POST, no TwiML App in the way), and disconnecting puts the old one back", async () => {
    const b = await account("b");
    fake.addAccount({
      sid: b.sid,
      authToken: b.authToken,
      messagingServiceSids: [b.service],
      phoneNumbers: [b.number],
      inbound: { [b.number]: { url: MERCHANT_URL, applicationSid: `AP${hex("b")}` } },
    });
    expect((await b.connect(b.number)).body.replies).toEqual({ ok: true });
    expect(fake.requests).toContain(`POST /2010-04-01/Accounts/${b.sid}/IncomingPhoneNumbers/PN${"0".repeat(32)}.json`);
    expect(fake.inboundOf(b.sid, b.number)).toMatchObject({ url: OUR_URL, method: "POST", applicationSid: null });

    await post(b.shop, { intent: "disconnect" });
    expect(fake.inboundOf(b.sid, b.number)).toMatchObject({ url: MERCHANT_URL, applicationSid: `AP${hex("b")}` });
  });

  it("a reply signed for the URL Nudge set passes /twilio/inbound's signature check", async () => {
    const c = await account("c");
    await c.connect(c.service);
    const url = fake.inboundOf(c.sid, c.service).url!;
    const params = { AccountSid: c.sid, From: "+14155550123", To: c.number, Body: "HELP", MessageSid: `SM${hex("c")}` };
    const request = new Request(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": twilio.getExpectedTwilioSignature(c.authToken, url, params) },
      body: new URLSearchParams(params).toString(),
    });
    expect((await inbound({ request, params: {}, context: {} })).status).toBe(200);
  });

  it("saving the same account again keeps the merchant's original URL to put back, not ours", async () => {
    const d = await account("d", { [`MG${hex("d")}`]: { url: MERCHANT_URL } });
    await d.connect(d.service);
    await post(d.shop, { intent: "connect", accountSid: d.sid, authToken: "", sender: d.service });
    await post(d.shop, { intent: "disconnect" });
    expect(fake.inboundOf(d.sid, d.service).url).toBe(MERCHANT_URL);
  });

  it("switching to another sender gives the first one its old URL back", async () => {
    const e = await account("e", { [`MG${hex("e")}`]: { url: MERCHANT_URL } });
    await e.connect(e.service);
    await e.connect(e.number);
    expect(fake.inboundOf(e.sid, e.service).url).toBe(MERCHANT_URL);
    expect(fake.inboundOf(e.sid, e.number).url).toBe(OUR_URL);
  });

  it("warns when the URL was changed elsewhere (after Check again), and Send replies to Nudge fixes it", async () => {
    const f = await account("f");
    await f.connect(f.service);
    fake.addAccount({ sid: f.sid, authToken: f.authToken, messagingServiceSids: [f.service], phoneNumbers: [f.number], inbound: { [f.service]: { url: MERCHANT_URL } } });
    expect(renderPage(SettingsPage, "/app/settings", await page(f.shop))).toContain("Replies reach Nudge ✓");

    expect((await post(f.shop, { intent: "check_replies" })).status).toBe(200);
    const data = await page(f.shop);
    expect(data.replies).toMatchObject({ state: "elsewhere", where: MERCHANT_URL });
    const html = renderPage(SettingsPage, "/app/settings", data);
    expect(html).toContain("Replies don&#x27;t reach Nudge");
    expect(html).toContain(MERCHANT_URL);
    expect(html).toContain("Send replies to Nudge");
    expect(html).not.toContain("Replies reach Nudge ✓");

    expect((await post(f.shop, { intent: "point_replies" })).status).toBe(200);
    expect(fake.inboundOf(f.sid, f.service).url).toBe(OUR_URL);
    expect((await page(f.shop)).replies).toMatchObject({ state: "reach_nudge" });
    // What is put back on disconnect is the merchant's URL seen before the fix.
    await post(f.shop, { intent: "disconnect" });
    expect(fake.inboundOf(f.sid, f.service).url).toBe(MERCHANT_URL);
  });

  it("an error from Twilio while setting the URL is shown, the checked account stays stored, and a retry works", async () => {
    const g = await account("1", { [`MG${hex("1")}`]: { url: MERCHANT_URL } });
    fake.failSenderUpdates({ status: 403, code: 20403, message: "Permission denied" });
    try {
      const { status, body } = await g.connect(g.service);
      expect(status).toBe(200);
      expect(body).toMatchObject({ ok: true, replies: { ok: false, message: expect.stringMatching(/403 \(error 20403\): Permission denied/) } });
    } finally {
      fake.failSenderUpdates(null);
    }
    expect(fake.inboundOf(g.sid, g.service).url).toBe(MERCHANT_URL);
    const data = await page(g.shop);
    expect(data.twilio).toMatchObject({ state: "own", accountSid: g.sid });
    expect(data.replies).toMatchObject({ state: "elsewhere", problem: expect.stringMatching(/Permission denied/) });
    expect(renderPage(SettingsPage, "/app/settings", data)).toContain("Twilio said: Twilio answered 403 (error 20403): Permission denied");

    expect((await post(g.shop, { intent: "point_replies" })).body).toMatchObject({ ok: true });
    expect(fake.inboundOf(g.sid, g.service).url).toBe(OUR_URL);
    await post(g.shop, { intent: "disconnect" });
    expect(fake.inboundOf(g.sid, g.service).url).toBe(MERCHANT_URL);
  });

  it("a failure to put the old URL back still disconnects, and says what to set in the Twilio Console", async () => {
    const h = await account("2", { [`MG${hex("2")}`]: { url: MERCHANT_URL } });
    await h.connect(h.service);
    fake.failSenderUpdates({ status: 500, code: 20500, message: "Internal Server Error" });
    try {
      const { status, body } = await post(h.shop, { intent: "disconnect" });
      expect(status).toBe(200);
      expect(body.replies).toMatchObject({ ok: false, message: expect.stringContaining(MERCHANT_URL) });
    } finally {
      fake.failSenderUpdates(null);
    }
    expect((await page(h.shop)).twilio.state).not.toBe("own");
    const { sql } = await database();
    const [row] = await sql.query<{ inbound: unknown }>(`SELECT settings->'twilioInbound' AS inbound FROM shop WHERE domain = $1`, [h.shop]);
    expect(row?.inbound).toBeNull();
  });

  it("check and fix answer 400 when the shop has no own account", async () => {
    await installShop("replies-none.myshopify.com");
    expect((await post("replies-none.myshopify.com", { intent: "check_replies" })).status).toBe(400);
  });
});
