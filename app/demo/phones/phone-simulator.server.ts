import { randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { inboundMessageParams, optOutType, signedTwilioRequest, statusCallbackParams, TWILIO_API_VERSION, type DeliveryStatus, type SimulatedText } from "./twilio-requests";
import { readRequestBody, sendJson } from "../../lib/node-http";
import { incomingNumberResource, incomingNumbersPage, serviceResource, updateNumberInbound, updateServiceInbound, type SenderInbound } from "./twilio-sender-resources";

/**
 * The offline demo's phone network: a local stand-in for Twilio that the app's real `twilio`
 * client talks to (TWILIO_API_BASE_URL). It speaks the Messages API of 2010-04-01 (create,
 * list, fetch) and the account fetch a credentials check makes, delivers each text to a
 * simulated phone with signed status callbacks (queued → sent → delivered) to the text's
 * StatusCallback, and sends the phones' replies to the incoming-message URL of the Messaging
 * Service (or of the number, when the service defers to it), signed with the account's auth
 * token, as Twilio does. Both start at `inboundUrl` and can be changed through the API, as
 * connecting an own account in Settings does. Started only by scripts/demo.ts.
 */
export interface PhoneSimulatorOptions {
  accountSid: string;
  authToken: string;
  /** Where replies go at first: the app's public URL (SHOPIFY_APP_URL) + /twilio/inbound. */
  inboundUrl: string;
  /** The account's Messaging Service (what a credentials check looks up). */
  messagingServiceSid?: string;
  /** The number texts come from when sent through a Messaging Service. */
  senderNumber?: string;
  /** Real milliseconds from accepted to sent, and from sent to delivered. */
  deliveryStepMs?: number;
  /** The simulated time shown on the phones (the app's clock). */
  now?: () => Date;
}

interface PhoneMessage {
  sid: string;
  /** "in": a text the phone received; "out": a reply the phone sent. */
  direction: "in" | "out";
  body: string;
  at: string;
  status: DeliveryStatus | "received";
}

interface Phone {
  number: string;
  name: string | null;
  optedOut: boolean;
  messages: PhoneMessage[];
}

export interface PhoneSimulator {
  url: string;
  phones(): Phone[];
  /** Gives a phone its owner's name, for the inbox page. */
  register(number: string, name: string): void;
  /** Called when a text reaches a phone (after its "delivered" callback was sent). */
  onText(listener: (text: { to: string; body: string; sid: string }) => void): void;
  /** The phone sends a text to the store's number; resolves once the app has answered. */
  reply(from: string, body: string): Promise<{ status: number }>;
  setClock(now: () => Date): void;
  /** Resolves once every accepted text has been delivered and its callbacks answered. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

interface StoredText extends SimulatedText {
  body: string;
  status: DeliveryStatus;
  statusCallback: string | null;
  dateCreated: Date;
  numSegments: number;
}

export async function startPhoneSimulator(options: PhoneSimulatorOptions): Promise<PhoneSimulator> {
  const senderNumber = options.senderNumber ?? "+18335550100";
  const stepMs = options.deliveryStepMs ?? 150;
  let now = options.now ?? (() => new Date());
  const texts = new Map<string, StoredText>();
  const phones = new Map<string, Phone>();
  const listeners: Array<(text: { to: string; body: string; sid: string }) => void> = [];
  const pending = new Set<Promise<unknown>>();
  const numberSid = `PN${"0".repeat(32)}`;
  let serviceInbound: SenderInbound = { url: options.inboundUrl, method: "POST", deferToNumber: false, applicationSid: null };
  let numberInbound: SenderInbound = { url: options.inboundUrl, method: "POST", deferToNumber: false, applicationSid: null };
  /** Where Twilio would send a reply to the store's number: the service's URL unless it defers to the number's. */
  const inboundUrl = () => (options.messagingServiceSid && !serviceInbound.deferToNumber ? serviceInbound.url : numberInbound.url);

  const phone = (number: string): Phone => {
    let entry = phones.get(number);
    if (!entry) phones.set(number, (entry = { number, name: null, optedOut: false, messages: [] }));
    return entry;
  };

  const track = (work: Promise<unknown>) => {
    pending.add(work);
    void work.finally(() => pending.delete(work));
  };

  /** queued → sent → delivered, each with its signed callback, then the phone shows it. */
  async function deliver(text: StoredText) {
    for (const status of ["sent", "delivered"] as const) {
      await sleep(stepMs);
      text.status = status;
      const bubble = phone(text.to).messages.find((m) => m.sid === text.sid);
      if (status === "delivered") {
        if (bubble) bubble.status = "delivered";
        else phone(text.to).messages.push({ sid: text.sid, direction: "in", body: text.body, at: now().toISOString(), status });
      }
      if (text.statusCallback) {
        await fetch(text.statusCallback, signedTwilioRequest(options.authToken, text.statusCallback, statusCallbackParams(text, status))).catch((error) =>
          console.warn(`phone simulator: status callback to ${text.statusCallback} failed: ${error}`),
        );
      }
    }
    for (const listener of listeners) listener({ to: text.to, body: text.body, sid: text.sid });
  }

  async function reply(from: string, body: string): Promise<{ status: number }> {
    const sid = `SM${randomBytes(16).toString("hex")}`;
    const entry = phone(from);
    entry.messages.push({ sid, direction: "out", body, at: now().toISOString(), status: "received" });
    const keyword = optOutType(body);
    // Twilio itself blocks a sender → number pair after STOP (error 21610) until START.
    if (keyword === "STOP") entry.optedOut = true;
    if (keyword === "START") entry.optedOut = false;
    const params = inboundMessageParams({ sid, accountSid: options.accountSid, from, to: senderNumber, body, messagingServiceSid: null });
    const url = inboundUrl();
    // No incoming-message URL: Twilio keeps the message and calls no one.
    if (!url) return { status: 404 };
    const response = await fetch(url, signedTwilioRequest(options.authToken, url, params));
    const twiml = await response.text();
    // The app may answer in TwiML (<Response><Message>…</Message></Response>): Twilio texts that back.
    for (const match of twiml.matchAll(/<Message>([\s\S]*?)<\/Message>/g)) {
      entry.messages.push({ sid: `SM${randomBytes(16).toString("hex")}`, direction: "in", body: unescapeXml(match[1]!), at: now().toISOString(), status: "delivered" });
    }
    return { status: response.status };
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      console.error("phone simulator:", error);
      if (!res.headersSent) sendJson(res, 500, { code: 20500, message: "Internal server error", status: 500 });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://phones.local");
    const body = await readRequestBody(req);
    if (url.pathname === "/_demo/phones" && req.method === "GET") return sendJson(res, 200, { phones: listPhones() });
    if (url.pathname === "/_demo/phones/reply" && req.method === "POST") {
      const { from, body: text } = JSON.parse(body || "{}") as { from?: unknown; body?: unknown };
      if (typeof from !== "string" || !phones.has(from) || typeof text !== "string" || !text.trim() || text.length > 1600) {
        return sendJson(res, 400, { error: "from (a known phone) and body are required" });
      }
      return sendJson(res, 200, await reply(from, text.trim()));
    }

    // A credentials check (app/adapters/twilio-account.server.ts) fetches the Messaging
    // Service from the Messaging API, which the client also points here.
    // Connecting an own account reads and sets its incoming-message URL (app/adapters/twilio-inbound.server.ts).
    const service = url.pathname.match(/^\/v1\/Services\/(MG[0-9a-fA-F]{32})$/);
    if (service && (req.method === "GET" || req.method === "POST")) {
      if (!authorized(req, options.accountSid)) return twilioError(res, 401, 20003, "Authenticate");
      if (service[1] !== options.messagingServiceSid) return twilioError(res, 404, 20404, `The requested resource /Services/${service[1]} was not found`);
      if (req.method === "POST") serviceInbound = updateServiceInbound(serviceInbound, new URLSearchParams(body));
      return sendJson(res, 200, serviceResource(options.accountSid, service[1]!, "Nudge demo sender", serviceInbound));
    }

    const account = url.pathname.match(
      /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})(\.json|\/Messages\.json|\/Messages\/(SM[0-9a-f]{32})\.json|\/IncomingPhoneNumbers\.json|\/IncomingPhoneNumbers\/(PN[0-9a-f]{32})\.json)$/,
    );
    if (!account) return twilioError(res, 404, 20404, "The requested resource was not found");
    if (!authorized(req, account[1]!)) return twilioError(res, 401, 20003, "Authenticate");
    const [, accountSid, resource, messageSid, phoneNumberSid] = account as unknown as [string, string, string, string | undefined, string | undefined];
    const number = () => incomingNumberResource(accountSid, numberSid, senderNumber, numberInbound);

    if (resource === ".json" && req.method === "GET") {
      return sendJson(res, 200, {
        sid: accountSid,
        friendly_name: "Nudge demo phone network",
        status: "active",
        type: "Full",
        date_created: new Date(0).toUTCString(),
        uri: `/${TWILIO_API_VERSION}/Accounts/${accountSid}.json`,
      });
    }
    if (messageSid && req.method === "GET") {
      const text = texts.get(messageSid);
      return text ? sendJson(res, 200, resourceOf(text)) : twilioError(res, 404, 20404, `The requested resource /Messages/${messageSid}.json was not found`);
    }
    if (resource === "/Messages.json" && req.method === "GET") {
      const to = url.searchParams.get("To");
      const after = url.searchParams.get("DateSent>");
      const rows = [...texts.values()].filter((t) => (!to || t.to === to) && (!after || t.dateCreated >= new Date(after)));
      return sendJson(res, 200, { messages: rows.map(resourceOf), end: rows.length, page: 0, page_size: 50, start: 0, next_page_uri: null, previous_page_uri: null, uri: url.pathname });
    }
    if (resource === "/Messages.json" && req.method === "POST") return createMessage(res, accountSid, new URLSearchParams(body));
    if (resource === "/IncomingPhoneNumbers.json" && req.method === "GET") {
      const wanted = url.searchParams.get("PhoneNumber");
      return sendJson(res, 200, incomingNumbersPage(accountSid, !wanted || wanted === senderNumber ? [number()] : []));
    }
    if (phoneNumberSid && (req.method === "GET" || req.method === "POST")) {
      if (phoneNumberSid !== numberSid) return twilioError(res, 404, 20404, `The requested resource /IncomingPhoneNumbers/${phoneNumberSid}.json was not found`);
      if (req.method === "POST") numberInbound = updateNumberInbound(numberInbound, new URLSearchParams(body));
      return sendJson(res, 200, number());
    }
    return twilioError(res, 405, 20004, "Method not allowed");
  }

  function createMessage(res: ServerResponse, accountSid: string, form: URLSearchParams) {
    const to = form.get("To") ?? "";
    const text = form.get("Body") ?? "";
    const messagingServiceSid = form.get("MessagingServiceSid");
    const from = form.get("From") ?? (messagingServiceSid ? senderNumber : null);
    // Error codes as documented at twilio.com/docs/api/errors.
    if (!/^\+[1-9]\d{6,14}$/.test(to)) return twilioError(res, 400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    if (!from) return twilioError(res, 400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message.");
    if (!text) return twilioError(res, 400, 21602, "Message body is required.");
    if (phones.get(to)?.optedOut) return twilioError(res, 400, 21610, "Attempt to send to unsubscribed recipient");
    const stored: StoredText = {
      sid: `SM${randomBytes(16).toString("hex")}`,
      accountSid,
      from,
      to,
      messagingServiceSid,
      body: text,
      status: "queued",
      statusCallback: form.get("StatusCallback"),
      dateCreated: new Date(),
      numSegments: Math.max(1, Math.ceil(text.length / 153)),
    };
    texts.set(stored.sid, stored);
    phone(to);
    track(deliver(stored));
    sendJson(res, 201, resourceOf(stored));
  }

  function authorized(req: IncomingMessage, accountSid: string): boolean {
    const expected = Buffer.from(`Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString("base64")}`);
    const given = Buffer.from(req.headers.authorization ?? "");
    return accountSid === options.accountSid && given.length === expected.length && timingSafeEqual(given, expected);
  }

  function listPhones(): Phone[] {
    return [...phones.values()].filter((p) => p.messages.length > 0).sort((a, b) => (b.messages.at(-1)?.at ?? "").localeCompare(a.messages.at(-1)?.at ?? ""));
  }

  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    phones: listPhones,
    register: (number, name) => void (phone(number).name = name),
    onText: (listener) => void listeners.push(listener),
    reply,
    setClock: (next) => void (now = next),
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    async close() {
      await Promise.allSettled([...pending]);
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

function resourceOf(t: StoredText) {
  return {
    sid: t.sid,
    account_sid: t.accountSid,
    to: t.to,
    from: t.from,
    messaging_service_sid: t.messagingServiceSid,
    body: t.body,
    status: t.status,
    num_segments: String(t.numSegments),
    num_media: "0",
    direction: "outbound-api",
    date_created: t.dateCreated.toUTCString(),
    date_sent: t.dateCreated.toUTCString(),
    date_updated: new Date().toUTCString(),
    error_code: null,
    error_message: null,
    price: null,
    price_unit: "USD",
    api_version: TWILIO_API_VERSION,
    uri: `/${TWILIO_API_VERSION}/Accounts/${t.accountSid}/Messages/${t.sid}.json`,
    subresource_uris: {},
  };
}

function twilioError(res: ServerResponse, status: number, code: number, message: string) {
  sendJson(res, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
