import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import twilio from "twilio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkTwilioAccount } from "~/adapters/twilio-account.server";
import { twilioInboundWebhook } from "~/adapters/twilio-inbound.server";
import { twilioGateway } from "~/adapters/twilio.server";
import { startPhoneSimulator, type PhoneSimulator } from "./phone-simulator.server";

const ACCOUNT = `AC${"d".repeat(32)}`;
const TOKEN = "phone-sim-auth-token-0123456789";
const SERVICE = `MG${"e".repeat(32)}`;

// A stand-in for the app's /twilio/* routes that checks every request with twilio.validateRequest.
let app: Server;
let appUrl: string;
const received: Array<{ path: string; params: Record<string, string>; valid: boolean }> = [];
let phones: PhoneSimulator;

beforeAll(async () => {
  app = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const params = Object.fromEntries(new URLSearchParams(body));
      const url = `${appUrl}${req.url}`;
      received.push({ path: req.url!, params, valid: twilio.validateRequest(TOKEN, String(req.headers["x-twilio-signature"]), url, params) });
      res.writeHead(200, { "content-type": "text/xml" });
      res.end(req.url === "/twilio/inbound" ? "<Response><Message>You&apos;re unsubscribed.</Message></Response>" : "");
    });
  });
  await new Promise<void>((done) => app.listen(0, "127.0.0.1", done));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  phones = await startPhoneSimulator({ accountSid: ACCOUNT, authToken: TOKEN, messagingServiceSid: SERVICE, inboundUrl: `${appUrl}/twilio/inbound`, deliveryStepMs: 10 });
});

afterAll(async () => {
  await phones?.close();
  await new Promise((done) => app?.close(done));
});

const gateway = () => twilioGateway({ accountSid: ACCOUNT, authToken: TOKEN, messagingServiceSid: SERVICE, baseUrl: phones.url, attempts: 1 });

async function until(check: () => boolean) {
  const deadline = Date.now() + 5_000;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  expect(check()).toBe(true);
}

describe("the demo's phone simulator", () => {
  it("takes a text from the real twilio client, delivers it to the phone and reports sent then delivered, signed", async () => {
    const arrived: string[] = [];
    phones.onText((text) => arrived.push(text.body));
    const result = await gateway().send({ to: "+12125550100", body: "Hey Ava! Your cart misses you", statusCallback: `${appUrl}/twilio/status` });
    expect(result).toMatchObject({ ok: true, status: "queued" });
    await until(() => arrived.length === 1);
    const callbacks = received.filter((r) => r.path === "/twilio/status");
    expect(callbacks.map((c) => c.params.MessageStatus)).toEqual(["sent", "delivered"]);
    expect(callbacks.every((c) => c.valid && c.params.MessageSid === (result as { sid: string }).sid && c.params.AccountSid === ACCOUNT)).toBe(true);
    expect(phones.phones()[0]).toMatchObject({ number: "+12125550100", messages: [{ direction: "in", body: "Hey Ava! Your cart misses you", status: "delivered" }] });
  });

  it("answers list and fetch like Twilio, so the app can find a text after an interrupted send", async () => {
    const since = new Date(Date.now() - 1000);
    const sent = await gateway().send({ to: "+16175550100", body: "second" });
    expect(await gateway().findSent("+16175550100", since, "second")).toBe((sent as { sid: string }).sid);
    const client = twilio(ACCOUNT, TOKEN);
    client.api.baseUrl = phones.url;
    expect((await client.messages((sent as { sid: string }).sid).fetch()).body).toBe("second");
    expect((await client.api.v2010.accounts(ACCOUNT).fetch()).status).toBe("active");
  });

  it("passes the settings page's credentials check (account, then Messaging Service or number) and fails it for an unknown sender", async () => {
    expect(await checkTwilioAccount({ accountSid: ACCOUNT, authToken: TOKEN, messagingServiceSid: SERVICE }, { baseUrl: phones.url })).toMatchObject({ ok: true });
    expect(await checkTwilioAccount({ accountSid: ACCOUNT, authToken: TOKEN, fromNumber: "+18335550100" }, { baseUrl: phones.url })).toMatchObject({ ok: true });
    expect(await checkTwilioAccount({ accountSid: ACCOUNT, authToken: TOKEN, messagingServiceSid: `MG${"f".repeat(32)}` }, { baseUrl: phones.url })).toMatchObject({
      ok: false,
      reason: "sender_not_found",
    });
    expect(await checkTwilioAccount({ accountSid: ACCOUNT, authToken: "wrong-token-0123456789abcdef" }, { baseUrl: phones.url })).toMatchObject({ ok: false, reason: "rejected" });
  });

  it("refuses a wrong auth token with Twilio's 20003", async () => {
    const wrong = twilioGateway({ accountSid: ACCOUNT, authToken: "not-the-token-0123456789", messagingServiceSid: SERVICE, baseUrl: phones.url, attempts: 1 });
    expect(await wrong.send({ to: "+12125550100", body: "x" })).toMatchObject({ ok: false, kind: "rejected", code: 20003 });
  });

  it("sends a phone's STOP to the app signed, shows the app's answer, and then refuses texts to it with 21610", async () => {
    const { status } = await phones.reply("+12125550100", "STOP");
    expect(status).toBe(200);
    const inbound = received.find((r) => r.path === "/twilio/inbound")!;
    expect(inbound.valid).toBe(true);
    expect(inbound.params).toMatchObject({ From: "+12125550100", Body: "STOP", OptOutType: "STOP", AccountSid: ACCOUNT });
    expect(
      phones
        .phones()
        .find((p) => p.number === "+12125550100")!
        .messages.slice(-2)
        .map((m) => [m.direction, m.body]),
    ).toEqual([
      ["out", "STOP"],
      ["in", "You're unsubscribed."],
    ]);
    expect(await gateway().send({ to: "+12125550100", body: "more?" })).toMatchObject({ ok: false, kind: "opted_out", code: 21610 });
  });

  it("answers the reads and updates of a sender's incoming-message URL that connecting an account makes, and sends replies where it points", async () => {
    const api = twilioInboundWebhook({ baseUrl: phones.url });
    const viaService = { accountSid: ACCOUNT, authToken: TOKEN, messagingServiceSid: SERVICE };
    const viaNumber = { accountSid: ACCOUNT, authToken: TOKEN, fromNumber: "+18335550100" };
    const service = await api.read(viaService);
    expect(service).toEqual({ ok: true, config: { kind: "service", sid: SERVICE, url: `${appUrl}/twilio/inbound`, method: "POST", deferToNumber: false } });
    expect(await api.read(viaNumber)).toMatchObject({ ok: true, config: { kind: "number", sid: `PN${"0".repeat(32)}`, url: `${appUrl}/twilio/inbound`, applicationSid: null } });

    const moved = await api.write(viaService, { kind: "service", sid: SERVICE, url: `${appUrl}/twilio/inbound?moved=1`, method: "POST", deferToNumber: false });
    expect(moved).toMatchObject({ ok: true, config: { url: `${appUrl}/twilio/inbound?moved=1` } });
    await phones.reply("+12125550199", "HELP");
    expect(received.at(-1)).toMatchObject({ path: "/twilio/inbound?moved=1", valid: true });

    // A service that defers to the number uses the number's URL.
    await api.write(viaService, { kind: "service", sid: SERVICE, url: `${appUrl}/twilio/inbound`, method: "POST", deferToNumber: true });
    await api.write(viaNumber, { kind: "number", sid: `PN${"0".repeat(32)}`, url: `${appUrl}/twilio/inbound?number=1`, method: "POST", applicationSid: null });
    await phones.reply("+12125550199", "HELP");
    expect(received.at(-1)).toMatchObject({ path: "/twilio/inbound?number=1", valid: true });

    await api.write(viaService, service.ok ? service.config : (undefined as never));
    await phones.reply("+12125550199", "HELP");
    expect(received.at(-1)).toMatchObject({ path: "/twilio/inbound", valid: true });
  });
});
