import type { ActionFunctionArgs } from "@remix-run/node";
import { normalizePhone } from "~/lib/phone";
import { clock } from "~/clock.server";
import { database } from "~/db.server";
import { handleInboundSms } from "~/services/inbound-sms.server";
import { withVerifiedTwilioRequest } from "~/twilio/verify.server";

// Twilio incoming-message webhook for our sender: STOP/START/HELP and other replies.
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

function twiml(reply: string | null): string {
  if (!reply) return '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';
  const escaped = reply.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return `<?xml version="1.0" encoding="UTF-8"?><Response><Message>${escaped}</Message></Response>`;
}
