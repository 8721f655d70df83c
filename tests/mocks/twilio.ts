import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local stand-in for Twilio's Messages API (2010-04-01) that the real `twilio` client talks
 * HTTP to. It answers like Twilio: 201 with a message resource, or a 4xx with
 * {code, message, more_info, status}. Tests script failures per recipient.
 */
export interface FakeMessage {
  sid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  statusCallback: string | null;
  dateCreated: Date;
}

type Scripted =
  | { kind: "error"; status: number; code?: number; message?: string }
  /** Twilio accepts the message, but the connection drops before we see the answer. */
  | { kind: "accept-then-drop" }
  | { kind: "drop" };

export interface FakeTwilio {
  url: string;
  messages: FakeMessage[];
  /** The next `times` sends to `to` get this outcome instead of 201. */
  script(to: string, outcome: Scripted, times?: number): void;
  /** Delay every answer (to widen race windows). */
  setLatency(ms: number): void;
  close(): Promise<void>;
}

export async function startFakeTwilio(): Promise<FakeTwilio> {
  const messages: FakeMessage[] = [];
  const scripts = new Map<string, Scripted[]>();
  let latency = 0;

  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    if (latency) await new Promise((r) => setTimeout(r, latency));
    const url = new URL(req.url ?? "/", "http://fake");
    const match = url.pathname.match(/^\/2010-04-01\/Accounts\/(AC\w+)\/Messages\.json$/);
    if (!match) return json(res, 404, { code: 20404, message: "The requested resource was not found", status: 404 });
    if (req.method === "GET") return json(res, 200, listMessages(messages, url.searchParams, match[1]!));
    if (req.method !== "POST") return json(res, 405, { code: 20004, message: "Method not allowed", status: 405 });

    const form = new URLSearchParams(body);
    const to = form.get("To") ?? "";
    const outcome = scripts.get(to)?.shift();
    if (outcome?.kind === "error") {
      return json(res, outcome.status, {
        code: outcome.code ?? outcome.status * 100,
        message: outcome.message ?? `scripted ${outcome.status}`,
        more_info: `https://www.twilio.com/docs/errors/${outcome.code ?? ""}`,
        status: outcome.status,
      });
    }
    if (outcome?.kind === "drop") return req.socket.destroy();
    const message: FakeMessage = {
      sid: `SM${randomBytes(16).toString("hex")}`,
      to,
      from: form.get("From"),
      messagingServiceSid: form.get("MessagingServiceSid"),
      body: form.get("Body") ?? "",
      statusCallback: form.get("StatusCallback"),
      dateCreated: new Date(),
    };
    messages.push(message);
    if (outcome?.kind === "accept-then-drop") return req.socket.destroy();
    json(res, 201, resource(message, match[1]!));
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    messages,
    script(to, outcome, times = 1) {
      const queue = scripts.get(to) ?? [];
      for (let i = 0; i < times; i++) queue.push(outcome);
      scripts.set(to, queue);
    },
    setLatency(ms) {
      latency = ms;
    },
    close: () => new Promise((done) => server.close(() => done())),
  };
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

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => (data += chunk));
    req.on("end", () => resolve(data));
    req.on("error", reject);
  });
}
