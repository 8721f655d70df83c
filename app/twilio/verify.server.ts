import twilio from "twilio";
import { encryptionKey } from "../adapters/sms.server";
import { database } from "../db.server";
import { env } from "../env.server";
import { log } from "../lib/log.server";
import { readBodyCapped } from "../lib/read-body.server";
import { readTwilioCredentials } from "../services/twilio-credentials.server";

/** Whose Twilio account a webhook came from: one shop's own, or the app's shared one. */
export type TwilioAccountScope = { shop: string } | { shared: true };

const MAX_FORM_BYTES = 64 * 1024;

/** Runs `handle` with the verified form parameters, or answers with the rejection. */
export async function withVerifiedTwilioRequest(request: Request, handle: (params: Record<string, string>, account: TwilioAccountScope) => Promise<Response>): Promise<Response> {
  let verified: Awaited<ReturnType<typeof verifyTwilioRequest>>;
  try {
    verified = await verifyTwilioRequest(request);
  } catch (rejection) {
    if (rejection instanceof Response) return rejection;
    throw rejection;
  }
  return handle(verified.params, verified.account);
}

/**
 * Verifies a Twilio webhook with twilio.validateRequest against the public URL Twilio
 * called (our SHOPIFY_APP_URL, not the address a proxy forwarded to). Returns the form
 * parameters, or throws a 403 (bad or missing signature) or 4xx (bad body).
 */
async function verifyTwilioRequest(request: Request): Promise<{ params: Record<string, string>; account: TwilioAccountScope }> {
  if (request.method !== "POST") throw new Response("Method not allowed", { status: 405 });
  const signature = request.headers.get("x-twilio-signature");
  // Capped as it streams in: a chunked body declares no Content-Length to check up front.
  const params = Object.fromEntries(new URLSearchParams(await readBodyCapped(request, MAX_FORM_BYTES)));
  const { authToken, account } = await signingAccount(params.AccountSid);
  if (!authToken) throw new Response("Twilio is not configured", { status: 403 });
  const incoming = new URL(request.url);
  const publicUrl = new URL(incoming.pathname + incoming.search, env().SHOPIFY_APP_URL).toString();
  if (!signature || !twilio.validateRequest(authToken, signature, publicUrl, params)) {
    log.warn("Twilio webhook with a bad signature rejected", { path: incoming.pathname });
    throw new Response("Invalid signature", { status: 403 });
  }
  return { params, account };
}

/** A shop that connected its own Twilio account signs with that token; otherwise the app's. */
async function signingAccount(accountSid: string | undefined): Promise<{ authToken: string | null; account: TwilioAccountScope }> {
  if (accountSid && /^AC[0-9a-fA-F]{32}$/.test(accountSid) && accountSid !== env().TWILIO_ACCOUNT_SID) {
    const { sql } = await database();
    const [row] = await sql.query<{ domain: string; settings: unknown }>(`SELECT domain, settings FROM shop WHERE settings->'twilio'->>'accountSid' = $1 LIMIT 1`, [accountSid]);
    const own = row ? readTwilioCredentials(row.settings, encryptionKey()) : null;
    if (row && own) return { authToken: own.authToken, account: { shop: row.domain } };
  }
  return { authToken: env().TWILIO_AUTH_TOKEN ?? null, account: { shared: true } };
}
