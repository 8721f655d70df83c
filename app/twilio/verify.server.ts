import twilio from "twilio";
import { env } from "../env.server";
import { log } from "../lib/log.server";

const MAX_FORM_BYTES = 64 * 1024;

/** Runs `handle` with the verified form parameters, or answers with the rejection. */
export async function withVerifiedTwilioRequest(request: Request, handle: (params: Record<string, string>) => Promise<Response>): Promise<Response> {
  let params: Record<string, string>;
  try {
    params = await verifyTwilioRequest(request);
  } catch (rejection) {
    if (rejection instanceof Response) return rejection;
    throw rejection;
  }
  return handle(params);
}

/**
 * Verifies a Twilio webhook with twilio.validateRequest against the public URL Twilio
 * called (our SHOPIFY_APP_URL, not the address a proxy forwarded to). Returns the form
 * parameters, or throws a 403 (bad or missing signature) or 4xx (bad body).
 */
export async function verifyTwilioRequest(request: Request): Promise<Record<string, string>> {
  if (request.method !== "POST") throw new Response("Method not allowed", { status: 405 });
  const authToken = env().TWILIO_AUTH_TOKEN;
  if (!authToken) throw new Response("Twilio is not configured", { status: 403 });
  if (Number(request.headers.get("content-length") ?? 0) > MAX_FORM_BYTES) throw new Response("Payload too large", { status: 413 });
  const signature = request.headers.get("x-twilio-signature");
  const params = Object.fromEntries(new URLSearchParams(await request.text()));
  const incoming = new URL(request.url);
  const publicUrl = new URL(incoming.pathname + incoming.search, env().SHOPIFY_APP_URL).toString();
  if (!signature || !twilio.validateRequest(authToken, signature, publicUrl, params)) {
    log.warn("Twilio webhook with a bad signature rejected", { path: incoming.pathname });
    throw new Response("Invalid signature", { status: 403 });
  }
  return params;
}
