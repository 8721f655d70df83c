import type { ActionFunctionArgs } from "@remix-run/node";
import { clock } from "~/clock.server";
import { database } from "~/db.server";
import { log } from "~/lib/log.server";
import { containsNul } from "~/lib/nul";
import { readBodyCapped } from "~/lib/read-body.server";
import { clientIp } from "~/lib/client-ip";
import { slidingWindowLimiter } from "~/optin/rate-limit";
import { collectPixelEvents } from "~/pixel/collect.server";
import { CollectorRequestSchema, MAX_BODY_BYTES, MAX_EVENTS } from "~/pixel/collector-request";
import { corsJson } from "~/pixel/cors";

// POST /pixel/events: the web pixel's batches (extensions/nudge-pixel; issue #18, item 3). A
// resource route (no default export): Remix's cross-origin check guards page actions only.
// The pixel flushes at most every few seconds per tab; these leave room for a busy shopper.
const perClient = slidingWindowLimiter(60, 60_000);
const perIp = slidingWindowLimiter(600, 60_000);

export const loader = () => corsJson(405, { ok: false, error: "Use POST" });

export const action = async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") return corsJson(405, { ok: false, error: "Use POST" });
  const ip = clientIp(request.headers) ?? "unknown";
  if (!perIp.allow(ip)) {
    log.warn("pixel batches rate limited by IP");
    return corsJson(429, { ok: false, error: "Too many requests" });
  }

  let text: string;
  try {
    text = await readBodyCapped(request, MAX_BODY_BYTES);
  } catch (rejection) {
    if (!(rejection instanceof Response)) throw rejection;
    log.warn("pixel batch too large", { declared: request.headers.get("content-length") });
    return corsJson(413, { ok: false, error: "Too large" });
  }
  const body = parseJson(text);
  if (body === undefined) return corsJson(400, { ok: false, error: "Not JSON" });
  if (isObject(body) && Array.isArray(body.events) && body.events.length > MAX_EVENTS) {
    return corsJson(413, { ok: false, error: `At most ${MAX_EVENTS} events per request` });
  }
  const parsed = CollectorRequestSchema.safeParse(body);
  if (!parsed.success) {
    log.warn("pixel batch rejected", { issue: parsed.error.issues[0]?.message, path: parsed.error.issues[0]?.path.join(".") });
    return corsJson(422, { ok: false, error: "Invalid events" });
  }
  const { shop, clientId } = parsed.data;
  if (!perClient.allow(`${shop}|${clientId}`)) {
    log.warn("pixel batches rate limited by client", { shop });
    return corsJson(429, { ok: false, error: "Too many requests" });
  }

  const result = await collectPixelEvents((await database()).sql, parsed.data, clock.now());
  if (result.status === "shop_not_installed") {
    log.warn("pixel batch for a shop that isn't installed", { shop });
    return corsJson(404, { ok: false, error: "Unknown shop" });
  }
  return corsJson(202, { ok: true, status: result.status });
};

/** The body as JSON, or undefined for anything else (PostgreSQL can't store U+0000 either). */
function parseJson(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    return containsNul(value) ? undefined : value;
  } catch {
    return undefined;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;
