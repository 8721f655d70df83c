import twilio from "twilio";

/**
 * The answer to Twilio's incoming-message webhook: a TwiML <Response> that texts `reply` back
 * to the sender, or an empty one for no reply. Built and escaped by twilio's own
 * MessagingResponse (twilio.com/docs/messaging/twiml).
 */
export function replyTwiml(reply: string | null): string {
  const response = new twilio.twiml.MessagingResponse();
  if (reply) response.message(reply);
  return response.toString();
}
