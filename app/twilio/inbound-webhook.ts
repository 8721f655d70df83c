import { z } from "zod";

/**
 * Where Twilio sends the replies to a shop's sender, as Twilio reports it. A Messaging
 * Service has one incoming-message URL for all its numbers (`inbound_request_url`) unless
 * `use_inbound_webhook_on_number` defers to each number's own; a phone number has `sms_url`,
 * ignored when an `sms_application_sid` (a TwiML App) is set.
 * Sources: twilio.com/docs/messaging/services/api (Service resource),
 * twilio.com/docs/phone-numbers/api/incomingphonenumber-resource.
 */
export const InboundConfigSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("service"), sid: z.string(), url: z.string().nullable(), method: z.string().nullable(), deferToNumber: z.boolean() }),
  z.object({ kind: z.literal("number"), sid: z.string(), url: z.string().nullable(), method: z.string().nullable(), applicationSid: z.string().nullable() }),
]);
export type InboundConfig = z.infer<typeof InboundConfigSchema>;

/**
 * The URL Twilio must call for replies. It is the exact URL /twilio/inbound verifies the
 * X-Twilio-Signature against (app/twilio/verify.server.ts builds it the same way from
 * SHOPIFY_APP_URL), so the signature Twilio computes over it checks out.
 */
export function nudgeInboundUrl(appUrl: string): string {
  return new URL("/twilio/inbound", appUrl).toString();
}

/** True when a reply to this sender reaches Nudge: our URL, by POST, not overridden. */
export function repliesReachNudge(config: InboundConfig, url: string): boolean {
  if (config.url !== url || (config.method ?? "POST").toUpperCase() !== "POST") return false;
  return config.kind === "service" ? !config.deferToNumber : !config.applicationSid;
}

/** The same sender, set up so its replies reach Nudge. */
export function pointedAtNudge(config: InboundConfig, url: string): InboundConfig {
  return config.kind === "service" ? { ...config, url, method: "POST", deferToNumber: false } : { ...config, url, method: "POST", applicationSid: null };
}

/** Where replies go instead, in words for the settings page. */
export function describeInboundTarget(config: InboundConfig): string {
  if (config.kind === "service" && config.deferToNumber) return "each phone number's own incoming-message URL (the Messaging Service defers to the sender's webhook)";
  if (config.kind === "number" && config.applicationSid) return `the TwiML App ${config.applicationSid}`;
  return config.url ? config.url : "nowhere (no incoming-message URL is set)";
}
