import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { checkoutPayload, webhookHeaders } from "~/demo/shopify-payloads";
import { startBuiltServer, type BuiltServer } from "../support/built-server";

vi.setConfig({ testTimeout: 60_000, hookTimeout: 300_000 });

// The webhook edge as `npm start` serves it: the production server calls the webhook routes'
// actions itself, without Remix's request pipeline (scripts/lib/webhook-actions.ts, ADR 024).
// Every answer the edge promises (ADR 024, app/webhooks/handle-request.server.ts) must be the
// same there as through Remix: 200, 401, 400, 405, 413. No Shopify or Twilio is reached.
const SHOP = "edge-test.myshopify.com";
const SECRET = "edge-test-secret-0123456789";
const UNREACHABLE = "http://127.0.0.1:9";

let app: BuiltServer;

beforeAll(async () => {
  app = await startBuiltServer({ shop: SHOP, apiKey: "edge-test-key", apiSecret: SECRET, start: "2026-12-07T15:00:00Z", shopifyOrigin: UNREACHABLE, twilioUrl: UNREACHABLE });
});

afterAll(async () => {
  await app?.stop();
});

function post(path: string, body: string, headers: Record<string, string>) {
  return fetch(new URL(path, app.baseUrl), { method: "POST", body, headers });
}

function signed(topic: string, body: string, extra: Record<string, string> = {}) {
  return { ...webhookHeaders({ topic, shop: SHOP, body, secret: SECRET, apiVersion: "2026-04" }), ...extra };
}

describe("webhooks at the production server's edge", () => {
  const body = JSON.stringify(checkoutPayload({ token: "edge-1", createdAt: new Date("2026-12-07T14:00:00Z"), phone: "+12125550188" }));

  it("takes a signed delivery that came through proxies (headers the check never reads) and writes it to the inbox", async () => {
    const proxied = { "user-agent": "Shopify-Captain-Hook", "x-forwarded-for": "34.1.2.3", "x-forwarded-proto": "https", "x-request-id": "r-1", via: "1.1 edge" };
    const res = await post("/webhooks/checkouts/update", body, signed("checkouts/update", body, proxied));
    expect(res.status).toBe(200);
    // The shop never installed the app: the inbox writer says so, after the signature and schema passed.
    await app.waitFor(
      "the inbox's answer in the log",
      () =>
        app
          .output()
          .split("\n")
          .find((line) => line.includes("webhook not queued") && line.includes('"outcome":"not_installed"')),
      20_000,
    );
  });

  it("refuses a bad signature (401), a missing Shopify header (400), a topic for another route (400) and a body over 1 MB (413)", async () => {
    const badHmac = await post("/webhooks/checkouts/update", body, signed("checkouts/update", body, { "x-shopify-hmac-sha256": "AAAA" }));
    const noId = signed("checkouts/update", body);
    delete (noId as Record<string, string>)["x-shopify-webhook-id"];
    const missing = await post("/webhooks/checkouts/update", body, noId);
    const wrongRoute = await post("/webhooks/orders/create", body, signed("checkouts/update", body));
    const huge = JSON.stringify({ id: 1, note: "x".repeat(1_100_000) });
    const tooLarge = await post("/webhooks/checkouts/update", huge, signed("checkouts/update", huge));
    expect([badHmac.status, missing.status, wrongRoute.status, tooLarge.status]).toEqual([401, 400, 400, 413]);
  });

  it("leaves a GET to Remix, which refuses it: the route has no loader", async () => {
    const res = await fetch(new URL("/webhooks/checkouts/update", app.baseUrl));
    // Remix's answer to a GET on a route with only an action (its message is hidden in production).
    expect(res.status).toBe(400);
  });
});
