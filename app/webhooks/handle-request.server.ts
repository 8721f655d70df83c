import { clock } from "../clock.server";
import { database } from "../db.server";
import { log } from "../lib/log.server";
import { readBodyCapped } from "../lib/read-body.server";
import { isKnownTopic, parseWebhook, type WebhookTopic } from "./ingest.server";
import { kickInboxDrain } from "./inbox-loop.server";
import { inboxWriter } from "./inbox-writer.server";
import { containsNul } from "../lib/nul";
import { payloadShopMismatch } from "./payload-shop";
import { verifyWebhook, type VerifiedWebhook } from "./verify-webhook.server";

// Shopify's largest webhook bodies (orders with hundreds of lines) stay well under this.
const MAX_WEBHOOK_BYTES = 1024 * 1024;

/**
 * The whole HTTP edge of a webhook route: size cap, HMAC verification by the Shopify
 * library (401 bad HMAC, 400 missing headers; 405 wrong method), JSON, topic and schema
 * checks, then the webhook inbox: written once and answered 200, ingested after by a worker
 * (docs/decisions/024-acknowledge-webhooks-first.md). Never answers 500 for bad input.
 */
export async function handleWebhookRequest(request: Request, accepts: readonly WebhookTopic[]): Promise<Response> {
  if (request.method !== "POST") return new Response("Method not allowed", { status: 405 });
  let body: string;
  try {
    body = await readBodyCapped(request, MAX_WEBHOOK_BYTES);
  } catch (rejection) {
    if (!(rejection instanceof Response)) throw rejection;
    log.warn("webhook body too large", { topic: request.headers.get("x-shopify-topic") });
    return rejection;
  }

  let verified: VerifiedWebhook;
  try {
    verified = await verifyWebhook(request, body);
  } catch (error) {
    if (!(error instanceof Response)) throw error;
    log.warn("webhook rejected", { status: error.status, topic: request.headers.get("x-shopify-topic") });
    return error;
  }
  const { shop, topic, webhookId } = verified;
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    log.warn("webhook body is not JSON", { shop, topic });
    return new Response("Body must be JSON", { status: 400 });
  }
  if (!isKnownTopic(topic) || !accepts.includes(topic)) {
    log.warn("webhook topic not handled by this route", { shop, topic, url: new URL(request.url).pathname });
    return new Response(`Topic ${topic} is not handled here`, { status: 400 });
  }

  // JSON can only carry NUL as the escape \u0000, so the walk runs only when that text is there.
  if (body.includes("\\u0000") && containsNul(payload)) {
    log.warn("webhook payload holds a NUL character", { shop, topic });
    return new Response("Strings may not contain NUL characters", { status: 400 });
  }
  const mismatch = payloadShopMismatch(shop, payload);
  if (mismatch) {
    log.warn("webhook payload names another shop than its header", { shop, topic, field: mismatch });
    return new Response(`The payload's ${mismatch} is not the shop in X-Shopify-Shop-Domain`, { status: 400 });
  }

  // The schema is checked here, before the 200, so a payload ingest could never take is still
  // a 400 that Shopify sees (and nothing is stored), as before the inbox.
  const parsed = parseWebhook(topic, payload);
  if (!parsed.ok) {
    log.warn("webhook payload rejected", { shop, topic, webhookId, issues: parsed.issues });
    return Response.json({ error: "invalid payload", issues: parsed.issues }, { status: 400 });
  }
  const accepted = await inboxWriter((await database()).sql)({ webhookId, shop, topic, body, now: clock.now() });
  if (accepted === "accepted") setImmediate(kickInboxDrain);
  else log.info("webhook not queued", { shop, topic, webhookId, outcome: accepted });
  return new Response(null, { status: 200 });
}
