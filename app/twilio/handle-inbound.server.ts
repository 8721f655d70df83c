import { z } from "zod";
import { clock } from "../clock.server";
import { database } from "../db.server";
import { normalizePhone } from "../lib/phone";
import { handleInboundSms } from "../services/inbound-sms.server";
import { replyTwiml } from "./reply-twiml";
import { withVerifiedTwilioRequest } from "./verify.server";

/** The fields of Twilio's incoming-message webhook we use (twilio.com/docs/messaging/guides/webhook-request). */
const InboundSmsParamsSchema = z.object({
  From: z.string().transform((raw, ctx) => {
    const phone = normalizePhone(raw);
    if (phone) return phone.e164;
    ctx.addIssue({ code: "custom", message: "From is not a phone number" });
    return z.NEVER;
  }),
  MessageSid: z.string().min(1),
  Body: z.string().default(""),
  OptOutType: z.string().nullable().default(null),
});

/**
 * The HTTP edge of a text to our sender (opt-outs in any words, START, HELP and other replies):
 * the signature verified, the form parsed (400 without a sender or MessageSid), the text
 * handled, and the reply, if any, answered as TwiML for Twilio to send.
 */
export function handleInboundSmsRequest(request: Request): Promise<Response> {
  return withVerifiedTwilioRequest(request, async (params, account) => {
    const parsed = InboundSmsParamsSchema.safeParse(params);
    if (!parsed.success) return new Response("From and MessageSid are required", { status: 400 });
    const { From, MessageSid, Body, OptOutType } = parsed.data;
    const { sql } = await database();
    const { reply } = await handleInboundSms(sql, { from: From, body: Body, optOutType: OptOutType, messageSid: MessageSid, now: clock.now() }, account);
    return new Response(replyTwiml(reply), { headers: { "content-type": "text/xml" } });
  });
}
