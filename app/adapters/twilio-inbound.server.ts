import type { TwilioCredentials } from "../services/twilio-credentials.server";
import type { InboundConfig } from "../twilio/inbound-webhook";
import { twilioClientFor, type TwilioClientOptions } from "./twilio-client.server";

type InboundAnswer = { ok: true; config: InboundConfig } | { ok: false; message: string };

/** Reads and writes where Twilio sends replies to a shop's sender (see app/twilio/inbound-webhook.ts). */
export interface InboundWebhookApi {
  read(credentials: TwilioCredentials): Promise<InboundAnswer>;
  write(credentials: TwilioCredentials, config: InboundConfig): Promise<InboundAnswer>;
}

/**
 * Through the real `twilio` client:
 *  - a Messaging Service: GET / POST https://messaging.twilio.com/v1/Services/{MG…}
 *    (InboundRequestUrl, InboundMethod, UseInboundWebhookOnNumber);
 *  - a From number: found with GET /2010-04-01/Accounts/{AC…}/IncomingPhoneNumbers.json?PhoneNumber=…,
 *    updated with POST .../IncomingPhoneNumbers/{PN…}.json (SmsUrl, SmsMethod, SmsApplicationSid).
 * An empty string clears a URL or an application SID, as Twilio documents for updates.
 * Sources: twilio-node 6.2 lib/rest/messaging/v1/service.js, lib/rest/api/v2010/account/incomingPhoneNumber.js.
 */
export function twilioInboundWebhook(options: TwilioClientOptions = {}): InboundWebhookApi {
  return {
    async read(credentials) {
      const client = twilioClientFor(credentials, options);
      try {
        if (credentials.messagingServiceSid) return { ok: true, config: fromService(await client.messaging.v1.services(credentials.messagingServiceSid).fetch()) };
        const number = await findNumber(client, credentials);
        return number ? { ok: true, config: fromNumber(number) } : { ok: false, message: `${credentials.fromNumber} is not a phone number on this Twilio account.` };
      } catch (error) {
        return { ok: false, message: describeError(error) };
      }
    },
    async write(credentials, config) {
      const client = twilioClientFor(credentials, options);
      try {
        if (config.kind === "service") {
          const service = await client.messaging.v1.services(config.sid).update({
            inboundRequestUrl: config.url ?? "",
            inboundMethod: config.method ?? "POST",
            useInboundWebhookOnNumber: config.deferToNumber,
          });
          return { ok: true, config: fromService(service) };
        }
        const number = await client.api.v2010
          .accounts(credentials.accountSid)
          .incomingPhoneNumbers(config.sid)
          .update({
            smsUrl: config.url ?? "",
            smsMethod: config.method ?? "POST",
            smsApplicationSid: config.applicationSid ?? "",
          });
        return { ok: true, config: fromNumber(number) };
      } catch (error) {
        return { ok: false, message: describeError(error) };
      }
    },
  };
}

type Client = ReturnType<typeof twilioClientFor>;
type Service = Awaited<ReturnType<ReturnType<Client["messaging"]["v1"]["services"]>["fetch"]>>;
type Number = Awaited<ReturnType<ReturnType<Client["api"]["v2010"]["accounts"]>["incomingPhoneNumbers"]["list"]>>[number];

async function findNumber(client: Client, credentials: TwilioCredentials): Promise<Number | null> {
  const numbers = await client.api.v2010.accounts(credentials.accountSid).incomingPhoneNumbers.list({ phoneNumber: credentials.fromNumber, limit: 1 });
  return numbers.find((n) => n.phoneNumber === credentials.fromNumber) ?? null;
}

function fromService(s: Service): InboundConfig {
  return { kind: "service", sid: s.sid, url: s.inboundRequestUrl || null, method: s.inboundMethod || null, deferToNumber: Boolean(s.useInboundWebhookOnNumber) };
}

function fromNumber(n: Number): InboundConfig {
  return { kind: "number", sid: n.sid, url: n.smsUrl || null, method: n.smsMethod || null, applicationSid: n.smsApplicationSid || null };
}

function describeError(error: unknown): string {
  const e = error as { status?: unknown; code?: unknown; message?: unknown };
  const message = typeof e.message === "string" ? e.message : String(error);
  if (typeof e.status !== "number") return `Couldn't reach Twilio (${message}).`;
  return `Twilio answered ${e.status}${typeof e.code === "number" ? ` (error ${e.code})` : ""}: ${message}`;
}
