import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { twilioGateway, type SmsGateway } from "~/adapters/twilio.server";
import { startFakeTwilio, type FakeTwilio } from "../mocks/twilio";

const ACCOUNT = `AC${"1".repeat(32)}`;
const SERVICE = `MG${"2".repeat(32)}`;
let fake: FakeTwilio;
let gateway: SmsGateway;
let n = 0;
const nextNumber = () => `+1212555${String(1000 + ++n)}`;

beforeAll(async () => {
  delete process.env.TWILIO_EDGE;
  delete process.env.TWILIO_REGION;
  fake = await startFakeTwilio();
  gateway = twilioGateway({ accountSid: ACCOUNT, authToken: "x".repeat(32), messagingServiceSid: SERVICE, baseUrl: fake.url, backoffMs: 5 });
});
afterAll(() => fake.close());
beforeEach(() => fake.setLatency(0));

const sentTo = (to: string) => fake.messages.filter((m) => m.to === to);

describe("twilioGateway against a local fake Twilio", () => {
  it("sends through the real twilio client with the messaging service and status callback", async () => {
    const to = nextNumber();
    const result = await gateway.send({ to, body: "Snow Devil: hi\nReply STOP to opt out", statusCallback: "https://nudge.test/twilio/status" });
    expect(result).toMatchObject({ ok: true, status: "queued" });
    expect(sentTo(to)).toEqual([expect.objectContaining({ body: "Snow Devil: hi\nReply STOP to opt out", messagingServiceSid: SERVICE, statusCallback: "https://nudge.test/twilio/status" })]);
    expect(result.ok && result.sid).toBe(sentTo(to)[0]!.sid);
  });

  it.each([
    [21610, "opted_out"],
    [21211, "invalid_number"],
    [21408, "region_disabled"],
  ])("classifies error %i as %s and does not retry it", async (code, kind) => {
    const to = nextNumber();
    fake.script(to, { kind: "error", status: 400, code }, 3);
    expect(await gateway.send({ to, body: "x" })).toMatchObject({ ok: false, kind, code });
    // a retry would have used up the scripted failures and let this one through
    expect(await gateway.send({ to, body: "y" })).toMatchObject({ ok: false, kind });
  });

  it("retries a 429 and sends once", async () => {
    const to = nextNumber();
    fake.script(to, { kind: "error", status: 429, code: 20429 }, 2);
    expect(await gateway.send({ to, body: "retry me" })).toMatchObject({ ok: true });
    expect(sentTo(to)).toHaveLength(1);
  });

  it("gives up on repeated 503s as transient, having sent nothing", async () => {
    const to = nextNumber();
    fake.script(to, { kind: "error", status: 503 }, 3);
    expect(await gateway.send({ to, body: "later" })).toMatchObject({ ok: false, kind: "transient" });
    expect(sentTo(to)).toHaveLength(0);
  });

  it("finds a text Twilio accepted before the connection dropped instead of sending it again", async () => {
    const to = nextNumber();
    fake.script(to, { kind: "accept-then-drop" });
    const result = await gateway.send({ to, body: "exactly once" });
    expect(result).toMatchObject({ ok: true, reconciled: true });
    expect(sentTo(to)).toHaveLength(1);
    expect(result.ok && result.sid).toBe(sentTo(to)[0]!.sid);
  });

  it("retries after a 500 once Twilio confirms it has no such text", async () => {
    const to = nextNumber();
    fake.script(to, { kind: "error", status: 500 });
    expect(await gateway.send({ to, body: "after 500" })).toMatchObject({ ok: true });
    expect(sentTo(to)).toHaveLength(1);
  });

  it("reports a refused connection as transient", async () => {
    const offline = twilioGateway({ accountSid: ACCOUNT, authToken: "x".repeat(32), from: "+15005550006", baseUrl: "http://127.0.0.1:9", attempts: 2, backoffMs: 1 });
    expect(await offline.send({ to: nextNumber(), body: "nobody home" })).toMatchObject({ ok: false, kind: "transient" });
  });

  it("reports a text Twilio took but answered too late for as ambiguous, and sends it only once", async () => {
    const slow = twilioGateway({ accountSid: ACCOUNT, authToken: "x".repeat(32), messagingServiceSid: SERVICE, baseUrl: fake.url, timeoutMs: 100, backoffMs: 1 });
    const to = nextNumber();
    fake.setLatency(400);
    // The send times out, and so does the lookup that would tell whether it went out: never resend blindly.
    expect(await slow.send({ to, body: "slow answer" })).toMatchObject({ ok: false, kind: "ambiguous" });
    fake.setLatency(0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sentTo(to)).toHaveLength(1);
  });
});
