import type { ActionFunctionArgs } from "@remix-run/node";
import twilio from "twilio";
import { normalizePhone } from "~/lib/phone";
import { clock } from "~/clock.server";
import { database } from "~/db.server";
import { handleInboundSms } from "~/services/inbound-sms.server";
import { withVerifiedTwilioRequest } from "~/twilio/verify.server";

// Twilio incoming-message webhook for our sender: opt-outs in any words, START, HELP and other replies.
export const action = ({ request }: ActionFunctionArgs) =>
  withVerifiedTwilioRequest(request, async (params, account) => {
    const from = normalizePhone(params.From)?.e164;
    if (!from || !params.MessageSid) return new Response("From and MessageSid are required", { status: 400 });
    const { sql } = await database();
    const { reply } = await handleInboundSms(
      sql,
      { from, body: params.Body ?? "", optOutType: params.OptOutType ?? null, messageSid: params.MessageSid, now: clock.now() },
      account,
    );
    return new Response(twiml(reply), { headers: { "content-type": "text/xml" } });
  });

/** The reply as TwiML, built (and escaped) by twilio's own MessagingResponse; empty for no reply. */
function twiml(reply: string | null): string {
  const response = new twilio.twiml.MessagingResponse();
  if (reply) response.message(reply);
  return response.toString();
}
