import twilio from "twilio";
import type { TwilioCredentials } from "../services/twilio-credentials.server";

export interface TwilioClientOptions {
  /** Point the client at another API host (a local fake in tests and the demo). */
  baseUrl?: string;
  timeoutMs?: number;
}

/** The real `twilio` client for one account, with no automatic retries, optionally pointed at a stand-in. */
export function twilioClientFor(credentials: Pick<TwilioCredentials, "accountSid" | "authToken">, options: TwilioClientOptions = {}) {
  const client = twilio(credentials.accountSid, credentials.authToken, { timeout: options.timeoutMs ?? 10_000, autoRetry: false });
  if (options.baseUrl) {
    const base = options.baseUrl.replace(/\/$/, "");
    client.api.baseUrl = base;
    client.messaging.baseUrl = base;
  }
  return client;
}
