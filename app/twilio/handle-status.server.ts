import { z } from "zod";
import { clock } from "../clock.server";
import { database } from "../db.server";
import { recordDeliveryStatus } from "../services/delivery-status.server";
import { withVerifiedTwilioRequest } from "./verify.server";

/** The fields of Twilio's status callback we use (twilio.com/docs/messaging/guides/track-outbound-message-status). */
const StatusCallbackParamsSchema = z.object({
  MessageSid: z.string().min(1),
  MessageStatus: z
    .string()
    .min(1)
    .transform((status) => status.toLowerCase()),
  // Only a numeric code is one; anything else is kept as no code.
  ErrorCode: z
    .string()
    .optional()
    .transform((code) => (code && /^\d+$/.test(code) ? Number(code) : null)),
});

/** The HTTP edge of Twilio's status callback (StatusCallback on each text we send): verified, parsed (400), recorded, 204. */
export function handleStatusCallbackRequest(request: Request): Promise<Response> {
  return withVerifiedTwilioRequest(request, async (params) => {
    const parsed = StatusCallbackParamsSchema.safeParse(params);
    if (!parsed.success) return new Response("MessageSid and MessageStatus are required", { status: 400 });
    const { MessageSid, MessageStatus, ErrorCode } = parsed.data;
    const { sql } = await database();
    await recordDeliveryStatus(sql, { messageSid: MessageSid, status: MessageStatus, errorCode: ErrorCode, at: clock.now() });
    return new Response(null, { status: 204 });
  });
}
