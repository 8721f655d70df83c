import type { ActionFunctionArgs } from "@remix-run/node";
import { clock } from "~/clock.server";
import { database } from "~/db.server";
import { recordDeliveryStatus } from "~/services/delivery-status.server";
import { withVerifiedTwilioRequest } from "~/twilio/verify.server";

// Twilio message status callbacks (StatusCallback on each text we send).
export const action = ({ request }: ActionFunctionArgs) =>
  withVerifiedTwilioRequest(request, async (params) => {
    if (!params.MessageSid || !params.MessageStatus) return new Response("MessageSid and MessageStatus are required", { status: 400 });
    const errorCode = params.ErrorCode && /^\d+$/.test(params.ErrorCode) ? Number(params.ErrorCode) : null;
    const { sql } = await database();
    await recordDeliveryStatus(sql, { messageSid: params.MessageSid, status: params.MessageStatus.toLowerCase(), errorCode, at: clock.now() });
    return new Response(null, { status: 204 });
  });
