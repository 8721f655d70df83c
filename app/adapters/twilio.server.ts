import twilio from "twilio";
import { KeepAliveTwilioTransport } from "./twilio-transport.server";

interface SmsSendRequest {
  to: string;
  body: string;
  statusCallback?: string;
}

type PermanentFailure = "opted_out" | "invalid_number" | "region_disabled" | "rejected";

export type SmsSendResult =
  | { ok: true; sid: string; status: string; reconciled?: boolean }
  | { ok: false; kind: PermanentFailure; code: number | null; message: string }
  /** Nothing reached Twilio, or Twilio says it didn't take it: safe to try later. */
  | { ok: false; kind: "transient"; code: number | null; message: string }
  /** Twilio may or may not have taken it, and we could not find out: never resend blindly. */
  | { ok: false; kind: "ambiguous"; code: number | null; message: string };

export interface SmsGateway {
  readonly sender: string;
  send(request: SmsSendRequest): Promise<SmsSendResult>;
  /**
   * The sid of a text sent to `to` since `since` (with this body, when given), if Twilio has
   * one. How we find out whether an interrupted send went out.
   */
  findSent(to: string, since: Date, body?: string | null): Promise<string | null>;
  /** Every text this sender sent to `to` since `since`, newest first: recovery matches them to rows. */
  listSent(to: string, since: Date): Promise<{ sid: string; body: string }[]>;
}

export interface TwilioConfig {
  accountSid: string;
  authToken: string;
  messagingServiceSid?: string;
  from?: string;
  /** Point the client at another API host (a local fake in tests and the demo). */
  baseUrl?: string;
  /** Attempts for one send, including the first. */
  attempts?: number;
  backoffMs?: number;
  timeoutMs?: number;
}

// Twilio error codes: https://www.twilio.com/docs/api/errors
const PERMANENT: Record<number, PermanentFailure> = {
  21610: "opted_out", // recipient replied STOP to this sender
  21211: "invalid_number", // invalid 'To' number
  21614: "invalid_number", // 'To' is not a mobile number
  21408: "region_disabled", // permission to send to this region not enabled
  21612: "region_disabled", // 'To' not reachable from this sender
};
const NOT_TAKEN_STATUS = new Set([429, 503]);
const NOT_TAKEN_NETWORK = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH"]);

/**
 * The real `twilio` client with our retry policy. Rate limits (429), 503 and refused
 * connections mean Twilio did not take the text, so we retry with capped exponential backoff.
 * Other 5xx, resets and timeouts are ambiguous: before retrying we ask Twilio whether the
 * text exists, so a slow answer never turns into a double text.
 */
export function twilioGateway(config: TwilioConfig): SmsGateway {
  const timeoutMs = config.timeoutMs ?? 15_000;
  const client = twilio(config.accountSid, config.authToken, { timeout: timeoutMs, autoRetry: false, httpClient: new KeepAliveTwilioTransport({ timeoutMs }) });
  if (config.baseUrl) {
    // Every domain the Messages API uses lives under client.api (api.twilio.com).
    client.api.baseUrl = config.baseUrl.replace(/\/$/, "");
  }
  const attempts = config.attempts ?? 3;
  const backoffMs = config.backoffMs ?? 250;
  const sender = config.messagingServiceSid ?? config.from ?? "";

  async function listSent(to: string, since: Date): Promise<{ sid: string; body: string }[]> {
    const recent = await client.messages.list({ to, dateSentAfter: new Date(since.getTime() - 60_000), limit: 50 });
    return recent.filter((m) => (config.messagingServiceSid ? m.messagingServiceSid === config.messagingServiceSid : m.from === config.from)).map((m) => ({ sid: m.sid, body: m.body }));
  }

  async function findSent(to: string, since: Date, body?: string | null): Promise<string | null> {
    const ours = await listSent(to, since);
    return (body ? ours.find((m) => m.body === body) : ours[0])?.sid ?? null;
  }

  async function send(request: SmsSendRequest): Promise<SmsSendResult> {
    const startedAt = new Date();
    let last: SmsSendResult = { ok: false, kind: "transient", code: null, message: "not attempted" };
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) await sleep(Math.min(backoffMs * 2 ** (attempt - 2), 4_000));
      try {
        const message = await client.messages.create({
          to: request.to,
          body: request.body,
          ...(config.messagingServiceSid ? { messagingServiceSid: config.messagingServiceSid } : { from: config.from! }),
          ...(request.statusCallback ? { statusCallback: request.statusCallback } : {}),
        });
        return { ok: true, sid: message.sid, status: message.status };
      } catch (error) {
        last = classify(error);
        if (last.ok || (last.kind !== "transient" && last.kind !== "ambiguous")) return last;
        if (last.kind === "ambiguous") {
          const sid = await findSent(request.to, startedAt, request.body).catch(() => undefined);
          if (sid === undefined) return last; // can't tell: stop here
          if (sid) return { ok: true, sid, status: "queued", reconciled: true };
          // Twilio confirms it has no such text: not sent, so safe to retry, now or later.
          last = { ...last, kind: "transient" };
        }
      }
    }
    return last;
  }

  return { sender, send, findSent, listSent };
}

function classify(error: unknown): SmsSendResult {
  const e = error as { status?: number; code?: number | string; message?: string };
  const message = e.message ?? String(error);
  if (typeof e.status === "number") {
    const code = typeof e.code === "number" ? e.code : null;
    const permanent = code !== null ? PERMANENT[code] : undefined;
    if (permanent) return { ok: false, kind: permanent, code, message };
    if (NOT_TAKEN_STATUS.has(e.status)) return { ok: false, kind: "transient", code, message };
    if (e.status >= 500) return { ok: false, kind: "ambiguous", code, message };
    return { ok: false, kind: "rejected", code, message };
  }
  if (typeof e.code === "string" && NOT_TAKEN_NETWORK.has(e.code)) return { ok: false, kind: "transient", code: null, message };
  return { ok: false, kind: "ambiguous", code: null, message };
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
