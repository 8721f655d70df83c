import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { afterEach, describe, expect, it, vi } from "vitest";
import { serveWebhookActions, webhookActions } from "../../scripts/lib/webhook-actions";

// The production server's direct path to webhook routes' actions (ADR 024, amendment "7 Dec
// 2026 (night)"), through HTTP on a real Express app. tests/e2e/webhook-production-edge.test.ts
// runs the real routes through `npm start`'s server.

type Routes = ServerBuild["routes"];
const route = (id: string, path: string | undefined, action?: unknown) => ({ [id]: { id, path, module: action ? { action } : {} } });

let server: Server | undefined;
afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

async function serve(routes: Routes, onError = vi.fn()) {
  const app = express();
  app.use(serveWebhookActions(webhookActions(routes), onError));
  app.use((req, res) => void res.status(404).send(`remix ${req.method} ${req.path}`));
  server = await new Promise<Server>((done) => {
    const listening = app.listen(0, "127.0.0.1", () => done(listening));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, onError };
}

describe("webhook routes served by their actions", () => {
  it("maps the static webhooks/ routes that have an action, and the bench's reference for them, and no other route", () => {
    const action = () => new Response(null);
    const actions = webhookActions({
      ...route("routes/webhooks.orders.create", "webhooks/orders/create", action),
      ...route("routes/bench.webhook-bare", "bench/webhook-bare", action),
      ...route("routes/bench.bare", "bench/bare", action),
      ...route("routes/webhooks.$topic", "webhooks/:topic", action),
      ...route("routes/app.campaigns", "app/campaigns", action),
      ...route("routes/webhooks.readme", "webhooks/readme"),
      ...route("root", undefined),
    } as unknown as Routes);
    expect([...actions.keys()]).toEqual(["/webhooks/orders/create", "/bench/webhook-bare"]);
  });

  it("hands the action the request as sent (method, URL, headers, body) and sends back its response", async () => {
    const seen: { method: string; url: string; topic: string | null; forwarded: string | null; body: string; signal: boolean }[] = [];
    const action = async ({ request }: { request: Request }) => {
      seen.push({
        method: request.method,
        url: request.url,
        topic: request.headers.get("x-shopify-topic"),
        forwarded: request.headers.get("x-forwarded-for"),
        body: await request.text(),
        signal: request.signal.aborted,
      });
      return new Response("taken", { status: 202, statusText: "Accepted", headers: { "x-answer": "yes" } });
    };
    const { url } = await serve(route("routes/webhooks.orders.create", "webhooks/orders/create", action) as unknown as Routes);
    const body = JSON.stringify({ id: 1, note: "é".repeat(40_000) });
    const res = await fetch(`${url}/webhooks/orders/create?x=1`, { method: "POST", body, headers: { "x-shopify-topic": "orders/create", "x-forwarded-for": "34.1.2.3" } });
    expect(res.status).toBe(202);
    expect(res.statusText).toBe("Accepted");
    expect(res.headers.get("x-answer")).toBe("yes");
    expect(await res.text()).toBe("taken");
    expect(seen).toEqual([{ method: "POST", url: `${url}/webhooks/orders/create?x=1`, topic: "orders/create", forwarded: "34.1.2.3", body, signal: false }]);
  });

  it("leaves other methods and other paths to Remix", async () => {
    const action = vi.fn(() => new Response(null));
    const { url } = await serve(route("routes/webhooks.orders.create", "webhooks/orders/create", action) as unknown as Routes);
    const get = await fetch(`${url}/webhooks/orders/create`);
    const other = await fetch(`${url}/webhooks/orders/delete`, { method: "POST", body: "{}" });
    expect([get.status, await get.text(), other.status, await other.text()]).toEqual([404, "remix GET /webhooks/orders/create", 404, "remix POST /webhooks/orders/delete"]);
    expect(action).not.toHaveBeenCalled();
  });

  it("answers 400 to a Host header no URL can hold, without calling the action", async () => {
    const action = vi.fn(() => new Response(null));
    const { url, onError } = await serve(route("routes/webhooks.orders.create", "webhooks/orders/create", action) as unknown as Routes);
    const { port } = new URL(url);
    // fetch won't send a malformed Host; a raw request does, as any client on the internet may.
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: "127.0.0.1", port, path: "/webhooks/orders/create", method: "POST", headers: { host: "bad host/<>" } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on("error", reject);
      req.end("{}");
    });
    expect(status).toBe(400);
    expect(action).not.toHaveBeenCalled();
    expect(onError).not.toHaveBeenCalled();
  });

  it("answers 500 when an action throws, and reports the error with the path", async () => {
    const failure = new Error("the database is gone");
    const { url, onError } = await serve(
      route("routes/webhooks.orders.create", "webhooks/orders/create", () => {
        throw failure;
      }) as unknown as Routes,
    );
    const res = await fetch(`${url}/webhooks/orders/create`, { method: "POST", body: "{}" });
    expect(res.status).toBe(500);
    expect(onError).toHaveBeenCalledWith(failure, "/webhooks/orders/create");
  });
});
