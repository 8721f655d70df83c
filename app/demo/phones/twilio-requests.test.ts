import twilio from "twilio";
import { describe, expect, it } from "vitest";
import { inboundMessageParams, optOutType, signedTwilioRequest, statusCallbackParams } from "./twilio-requests";

const AUTH_TOKEN = "demo-auth-token-0123456789abcdef";
const text = { sid: `SM${"a".repeat(32)}`, accountSid: `AC${"b".repeat(32)}`, from: "+18335550100", to: "+12125550100", messagingServiceSid: `MG${"c".repeat(32)}` };

function paramsOf(init: RequestInit): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(String(init.body)));
}

describe("the phone simulator's Twilio webhooks", () => {
  it("signs a delivery status callback so twilio.validateRequest accepts it", () => {
    const url = "http://localhost:3000/twilio/status";
    const init = signedTwilioRequest(AUTH_TOKEN, url, statusCallbackParams(text, "delivered"));
    const signature = (init.headers as Record<string, string>)["x-twilio-signature"]!;
    const params = paramsOf(init);
    expect(params).toMatchObject({ MessageSid: text.sid, MessageStatus: "delivered", SmsStatus: "delivered", AccountSid: text.accountSid, To: text.to });
    expect(twilio.validateRequest(AUTH_TOKEN, signature, url, params)).toBe(true);
  });

  it("produces a signature that fails with another auth token, URL or body", () => {
    const url = "http://localhost:3000/twilio/inbound";
    const init = signedTwilioRequest(AUTH_TOKEN, url, inboundMessageParams({ ...text, from: text.to, to: text.from, body: "STOP" }));
    const signature = (init.headers as Record<string, string>)["x-twilio-signature"]!;
    const params = paramsOf(init);
    expect(twilio.validateRequest(AUTH_TOKEN, signature, url, params)).toBe(true);
    expect(twilio.validateRequest("another-token-0123456789abcdef", signature, url, params)).toBe(false);
    expect(twilio.validateRequest(AUTH_TOKEN, signature, "http://localhost:3001/twilio/inbound", params)).toBe(false);
    expect(twilio.validateRequest(AUTH_TOKEN, signature, url, { ...params, Body: "START" })).toBe(false);
  });

  it("reports Twilio's opt-out keyword class on replies, as Advanced Opt-Out does", () => {
    expect(inboundMessageParams({ ...text, body: " stop " }).OptOutType).toBe("STOP");
    expect(inboundMessageParams({ ...text, body: "unstop" }).OptOutType).toBe("START");
    expect(inboundMessageParams({ ...text, body: "Thanks!" }).OptOutType).toBeUndefined();
    expect(optOutType("help")).toBe("HELP");
  });

  it("includes the error code only on a failed status", () => {
    expect(statusCallbackParams(text, "sent").ErrorCode).toBeUndefined();
    expect(statusCallbackParams(text, "undelivered", 30003).ErrorCode).toBe("30003");
  });
});
