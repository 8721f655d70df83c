import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readRequestBody, sendJson } from "~/lib/node-http";
import { incomingNumberResource, incomingNumbersPage, NO_INBOUND, serviceResource, updateNumberInbound, updateServiceInbound, type SenderInbound } from "~/demo/phones/twilio-sender-resources";

/**
 * A local stand-in for Twilio's Messages API (2010-04-01) that the real `twilio` client talks
 * HTTP to. It answers like Twilio: 201 with a message resource, or a 4xx with
 * {code, message, more_info, status}. Tests script failures per recipient.
 *
 * Accounts added with addAccount() are checked like Twilio checks them (HTTP Basic auth,
 * 401 with error 20003 on a wrong SID or token), and also answer the read-only calls used to
 * verify credentials: GET /2010-04-01/Accounts/{Sid}.json, GET .../IncomingPhoneNumbers.json
 * and the Messaging API's GET /v1/Services/{Sid}. Other account SIDs may send without checks.
 * Their senders' incoming-message settings can be updated (POST /v1/Services/{MG…},
 * POST .../IncomingPhoneNumbers/{PN…}.json) and are remembered, with Twilio's resource shapes.
 */
export interface FakeMessage {
  sid: string;
  accountSid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  statusCallback: string | null;
  dateCreated: Date;
  /** When the request reached the fake, before any latency: when the text "left" the app. */
  receivedAt: Date;
}

type Scripted =
  | { kind: "error"; status: number; code?: number; message?: string }
  /** Twilio accepts the message, but the connection drops before we see the answer. */
  | { kind: "accept-then-drop" }
  | { kind: "drop" };

export interface FakeAccount {
  sid: string;
  authToken: string;
  friendlyName?: string;
  status?: "active" | "suspended" | "closed";
  messagingServiceSids?: string[];
  phoneNumbers?: string[];
  /** Incoming-message settings at the start, by Messaging Service SID or phone number. */
  inbound?: Record<string, Partial<SenderInbound>>;
}

export interface FakeTwilio {
  url: string;
  messages: FakeMessage[];
  /** Every request the fake answered (or dropped), as "METHOD /path". */
  requests: string[];
  addAccount(account: FakeAccount): void;
  /** Where replies to this Messaging Service SID or phone number go now. */
  inboundOf(accountSid: string, sender: string): SenderInbound;
  /** While set, every update of a sender's incoming-message settings gets this error. */
  failSenderUpdates(error: { status: number; code: number; message: string } | null): void;
  /** While on, every connection is dropped before an answer (Twilio unreachable). */
  setOffline(offline: boolean): void;
  /** The next `times` sends to `to` get this outcome instead of 201. */
  script(to: string, outcome: Scripted, times?: number): void;
  /** Delay every answer (to widen race windows). */
  setLatency(ms: number): void;
  /** Send requests received and not yet answered (held by the latency). */
  inFlight(): number;
  close(): Promise<void>;
}

export async function startFakeTwilio(): Promise<FakeTwilio> {
  const messages: FakeMessage[] = [];
  const scripts = new Map<string, Scripted[]>();
  const accounts = new Map<string, FakeAccount>();
  const requests: string[] = [];
  let latency = 0;
  let offline = false;
  const inbound = new Map<string, SenderInbound>();
  const inboundOf = (accountSid: string, sender: string) => inbound.get(`${accountSid}/${sender}`) ?? NO_INBOUND;
  let updateError: { status: number; code: number; message: string } | null = null;

  let inFlight = 0;
  const server: Server = createServer(async (req, res) => {
    const receivedAt = new Date();
    const body = await readRequestBody(req);
    if (latency) {
      inFlight++;
      await new Promise((r) => setTimeout(r, latency));
      inFlight--;
    }
    const url = new URL(req.url ?? "/", "http://fake");
    requests.push(`${req.method} ${url.pathname}`);
    if (offline) return req.socket.destroy();
    const caller = basicAuth(req);
    const pathAccount = url.pathname.match(/^\/2010-04-01\/Accounts\/(AC\w+)[/.]/)?.[1];
    const account = accounts.get(pathAccount ?? caller?.user ?? "");
    const isSend = /\/Messages\.json$/.test(url.pathname);
    // Known accounts are always checked; unknown ones may only use the Messages API (older tests).
    const authorised = account ? caller?.user === account.sid && caller.password === account.authToken : isSend;
    if (!authorised) return sendJson(res, 401, { code: 20003, message: "Authenticate", more_info: "https://www.twilio.com/docs/errors/20003", status: 401 });
    if (account && req.method === "GET") {
      const answer = accountResource(account, url, inboundOf);
      if (answer) return sendJson(res, 200, answer);
    }
    const sender = account && req.method === "POST" ? senderToUpdate(account, url) : null;
    if (sender) {
      if (updateError) return sendJson(res, updateError.status, { ...updateError, more_info: `https://www.twilio.com/docs/errors/${updateError.code}` });
      const form = new URLSearchParams(body);
      const updated = sender.kind === "service" ? updateServiceInbound(inboundOf(account!.sid, sender.key), form) : updateNumberInbound(inboundOf(account!.sid, sender.key), form);
      inbound.set(`${account!.sid}/${sender.key}`, updated);
      return sendJson(res, 200, accountResource(account!, url, inboundOf));
    }
    const match = url.pathname.match(/^\/2010-04-01\/Accounts\/(AC\w+)\/Messages\.json$/);
    if (!match) return sendJson(res, 404, { code: 20404, message: "The requested resource was not found", status: 404 });
    if (req.method === "GET") return sendJson(res, 200, listMessages(messages, url.searchParams, match[1]!));
    if (req.method !== "POST") return sendJson(res, 405, { code: 20004, message: "Method not allowed", status: 405 });

    const form = new URLSearchParams(body);
    const to = form.get("To") ?? "";
    const outcome = scripts.get(to)?.shift();
    if (outcome?.kind === "error") {
      return sendJson(res, outcome.status, {
        code: outcome.code ?? outcome.status * 100,
        message: outcome.message ?? `scripted ${outcome.status}`,
        more_info: `https://www.twilio.com/docs/errors/${outcome.code ?? ""}`,
        status: outcome.status,
      });
    }
    if (outcome?.kind === "drop") return req.socket.destroy();
    const message: FakeMessage = {
      sid: `SM${randomBytes(16).toString("hex")}`,
      accountSid: match[1]!,
      to,
      from: form.get("From"),
      messagingServiceSid: form.get("MessagingServiceSid"),
      body: form.get("Body") ?? "",
      statusCallback: form.get("StatusCallback"),
      dateCreated: new Date(),
      receivedAt,
    };
    messages.push(message);
    if (outcome?.kind === "accept-then-drop") return req.socket.destroy();
    sendJson(res, 201, resource(message, match[1]!));
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    messages,
    requests,
    addAccount(account) {
      accounts.set(account.sid, account);
      for (const [sender, settings] of Object.entries(account.inbound ?? {})) inbound.set(`${account.sid}/${sender}`, { ...NO_INBOUND, ...settings });
    },
    inboundOf,
    failSenderUpdates(error) {
      updateError = error;
    },
    setOffline(on) {
      offline = on;
    },
    script(to, outcome, times = 1) {
      const queue = scripts.get(to) ?? [];
      for (let i = 0; i < times; i++) queue.push(outcome);
      scripts.set(to, queue);
    },
    setLatency(ms) {
      latency = ms;
    },
    inFlight: () => inFlight,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

const numberSid = (index: number) => `PN${String(index).padStart(32, "0")}`;

/** The account resources (read, and the sender after an update), or null when the path is not one of them. */
function accountResource(account: FakeAccount, url: URL, inboundOf: (accountSid: string, sender: string) => SenderInbound): unknown {
  const base = `/2010-04-01/Accounts/${account.sid}`;
  if (url.pathname === `${base}.json`) {
    return { sid: account.sid, friendly_name: account.friendlyName ?? "Fake account", status: account.status ?? "active", type: "Full", uri: `${base}.json` };
  }
  const numbers = account.phoneNumbers ?? [];
  const number = (n: string) => incomingNumberResource(account.sid, numberSid(numbers.indexOf(n)), n, inboundOf(account.sid, n));
  if (url.pathname === `${base}/IncomingPhoneNumbers.json`) {
    const wanted = url.searchParams.get("PhoneNumber");
    return incomingNumbersPage(account.sid, numbers.filter((n) => !wanted || n === wanted).map(number));
  }
  const one = url.pathname.match(/\/IncomingPhoneNumbers\/(PN\w+)\.json$/)?.[1];
  const found = numbers.find((n) => numberSid(numbers.indexOf(n)) === one);
  if (url.pathname.startsWith(`${base}/IncomingPhoneNumbers/`) && found) return number(found);
  const service = url.pathname.match(/^\/v1\/Services\/(MG\w+)$/)?.[1];
  if (service && (account.messagingServiceSids ?? []).includes(service)) return serviceResource(account.sid, service, "Fake service", inboundOf(account.sid, service));
  return null;
}

/** The sender a POST updates, keyed as in `inbound`, or null when the path is not a sender of this account. */
function senderToUpdate(account: FakeAccount, url: URL): { kind: "service" | "number"; key: string } | null {
  const service = url.pathname.match(/^\/v1\/Services\/(MG\w+)$/)?.[1];
  if (service && (account.messagingServiceSids ?? []).includes(service)) return { kind: "service", key: service };
  const sid = url.pathname.match(new RegExp(`^/2010-04-01/Accounts/${account.sid}/IncomingPhoneNumbers/(PN\\w+)\\.json$`))?.[1];
  const numbers = account.phoneNumbers ?? [];
  const number = numbers.find((n) => numberSid(numbers.indexOf(n)) === sid);
  return number ? { kind: "number", key: number } : null;
}

function basicAuth(req: IncomingMessage): { user: string; password: string } | null {
  const header = req.headers.authorization ?? "";
  if (!header.startsWith("Basic ")) return null;
  const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? null : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function listMessages(messages: FakeMessage[], query: URLSearchParams, accountSid: string) {
  const to = query.get("To");
  const after = query.get("DateSent>");
  const rows = messages.filter((m) => (!to || m.to === to) && (!after || m.dateCreated >= new Date(after)));
  return { messages: rows.map((m) => resource(m, accountSid)), end: rows.length, page: 0, page_size: 50, next_page_uri: null, uri: "" };
}

function resource(m: FakeMessage, accountSid: string) {
  return {
    sid: m.sid,
    account_sid: accountSid,
    to: m.to,
    from: m.from,
    messaging_service_sid: m.messagingServiceSid,
    body: m.body,
    status: "queued",
    num_segments: "1",
    direction: "outbound-api",
    date_created: m.dateCreated.toUTCString(),
    date_sent: m.dateCreated.toUTCString(),
    date_updated: m.dateCreated.toUTCString(),
    error_code: null,
    error_message: null,
    price: null,
    api_version: "2010-04-01",
    uri: `/2010-04-01/Accounts/${accountSid}/Messages/${m.sid}.json`,
  };
}
