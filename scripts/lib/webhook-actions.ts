import { Readable } from "node:stream";
import type { ServerBuild } from "@remix-run/node";
import type { Request as ExpressRequest, RequestHandler, Response as ExpressResponse } from "express";

export type WebhookAction = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<Response> | Response;

/**
 * The benchmark's reference for webhooks (app/routes/bench.webhook-bare.tsx): served the way
 * they are, so "ingest vs the bare route" compares like with like. It answers 404 unless
 * NUDGE_BENCH_ROUTES=1. It is not under webhooks/, where every route is a subscription
 * declared in shopify.app.toml (npm run nudge -- doctor checks that).
 */
const BENCH_REFERENCE = "bench/webhook-bare";

/**
 * The webhook routes' own actions (app/routes/webhooks.*.tsx), keyed by their URL path
 * ("/webhooks/checkouts/update"). Webhook routes are static paths with an action and no page.
 */
export function webhookActions(routes: ServerBuild["routes"]): Map<string, WebhookAction> {
  const actions = new Map<string, WebhookAction>();
  for (const route of Object.values(routes)) {
    const path = route?.path;
    const action = route?.module.action as WebhookAction | undefined;
    const served = path?.startsWith("webhooks/") || path === BENCH_REFERENCE;
    if (!path || !served || !action || path.includes(":") || path.includes("*")) continue;
    actions.set(`/${path}`, action);
  }
  return actions;
}

/**
 * Serves POSTs to the webhook routes by calling their actions directly, the same functions
 * Remix would call, without Remix's request pipeline around them (ADR 024, amendment "7 Dec
 * 2026 (night)"). That pipeline is most of a webhook's server CPU and most of what it leaves
 * for the old generation: it matches the URL against every route, and makes three fetch
 * Requests per action, each with an AbortSignal that undici ties to a WeakRef and a
 * FinalizationRegistry, which only a major GC may free. Here the action gets one Request, with
 * no signal: a webhook's answer does not depend on the sender staying connected, and the write
 * it makes must finish either way. The route files stay the one definition of each endpoint;
 * `remix vite:dev` serves them through Remix as before.
 */
export function serveWebhookActions(actions: Map<string, WebhookAction>, onError: (error: unknown, path: string) => void): RequestHandler {
  return (req, res, next) => {
    const action = actions.get(req.path);
    if (!action || req.method !== "POST") return next();
    // The URL as the request named it (the webhook edge reads only its path, for logs). A Host
    // header no URL can hold is the sender's mistake: 400, not the 500 a throwing Request gives.
    const url = `${req.protocol}://${req.get("host") ?? "localhost"}${req.originalUrl}`;
    if (!URL.canParse(url)) return void res.status(400).type("text/plain").send("Bad Host header");
    Promise.resolve()
      .then(() => action({ request: toFetchRequest(req, url), params: {}, context: {} }))
      .then((response) => send(res, response))
      .catch((error: unknown) => {
        onError(error, req.path);
        if (!res.headersSent) res.status(500).end();
        else res.destroy();
      });
  };
}

function toFetchRequest(req: ExpressRequest, url: string): Request {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  return new Request(url, {
    method: req.method,
    headers,
    body: Readable.toWeb(req) as ReadableStream<Uint8Array>,
    duplex: "half",
  } as RequestInit);
}

async function send(res: ExpressResponse, response: Response): Promise<void> {
  res.status(response.status);
  if (response.statusText) res.statusMessage = response.statusText;
  response.headers.forEach((value, name) => res.append(name, value));
  res.end(Buffer.from(await response.arrayBuffer()));
}
