import { beforeAll, describe, expect, it, vi } from "vitest";
import type { PrismaClient } from "@prisma/client";
import { fixedClock, setClock } from "~/clock.server";
import { action as checkoutsCreate } from "~/routes/webhooks.checkouts.create";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { sessionStorage } from "~/shopify.server";
import { checkoutPayload, installShop, webhookRequest } from "../support/shopify";

const T = new Date("2026-11-24T15:00:00Z");
let prisma: PrismaClient;
const call = (request: Request, route = checkoutsCreate) => route({ request, params: {}, context: {} });

async function storedRows() {
  return {
    receipts: await prisma.webhookReceipt.count(),
    checkouts: await prisma.checkout.count(),
    shoppers: await prisma.shopper.count(),
    messages: await prisma.scheduledMessage.count(),
  };
}

beforeAll(async () => {
  setClock(fixedClock(T));
  prisma = await installShop();
});

describe("webhook verification and bad input", () => {
  const payload = checkoutPayload({ token: "tok-verify", createdAt: T });

  it.each([
    ["a forged HMAC", () => webhookRequest("checkouts/create", payload, { secret: "not-the-app-secret" }), 401],
    ["a body altered after signing", () => webhookRequest("checkouts/create", payload, { tamperedBody: JSON.stringify({ ...payload, phone: "+15555550100" }) }), 401],
    ["a missing HMAC header", () => webhookRequest("checkouts/create", payload, { omitHeaders: ["x-shopify-hmac-sha256"] }), 400],
    ["a missing webhook id", () => webhookRequest("checkouts/create", payload, { omitHeaders: ["x-shopify-webhook-id"] }), 400],
    ["a missing shop domain", () => webhookRequest("checkouts/create", payload, { omitHeaders: ["x-shopify-shop-domain"] }), 400],
    ["a signed body that is not JSON", () => webhookRequest("checkouts/create", null, { rawBody: "{not json" }), 400],
    ["a signed payload without a checkout token", () => webhookRequest("checkouts/create", { ...payload, token: undefined }), 400],
    ["a signed payload with a malformed date", () => webhookRequest("checkouts/create", { ...payload, updated_at: "yesterday" }), 400],
    ["an orders/create payload posted to the checkouts route", () => webhookRequest("orders/create", payload), 400],
  ])("answers %s with a 4xx and stores nothing", async (_name, makeRequest, status) => {
    const before = await storedRows();
    const res = await call(makeRequest());
    expect(res.status).toBe(status);
    expect(await storedRows()).toEqual(before);
  });

  it("refuses GET with 405", async () => {
    const res = await call(webhookRequest("checkouts/create", payload, { method: "GET" }));
    expect(res.status).toBe(405);
  });

  it("refuses a body over 1 MiB with 413 before reading it", async () => {
    const request = webhookRequest("checkouts/create", payload);
    const big = new Request(request.url, {
      method: "POST",
      headers: { ...Object.fromEntries(request.headers), "content-length": String(2 * 1024 * 1024) },
      body: "{}",
    });
    expect((await call(big)).status).toBe(413);
  });

  it("refuses a chunked body that grows past 1 MiB without declaring its length", async () => {
    const chunk = new TextEncoder().encode(`{"pad":"${"x".repeat(256 * 1024)}`);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 6) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const signed = webhookRequest("checkouts/create", payload);
    const request = new Request(signed.url, { method: "POST", headers: signed.headers, body: stream, duplex: "half" } as RequestInit);
    expect((await call(request)).status).toBe(413);
  });

  it("explains which fields were wrong when a signed payload does not parse", async () => {
    const res = await call(webhookRequest("orders/create", { total_price: "12.00" }), ordersCreate);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { issues: string[] };
    expect(body.issues.join(" ")).toMatch(/created_at|currency/);
  });

  it("accepts the same payload once it is signed correctly", async () => {
    const res = await call(webhookRequest("checkouts/create", payload));
    expect(res.status).toBe(200);
    expect(await prisma.checkout.count({ where: { token: "tok-verify" } })).toBe(1);
  });

  it("verifies and ingests without reading the shop's session, which ingest has no use for", async () => {
    const loadSession = vi.spyOn(sessionStorage, "loadSession");
    try {
      const res = await call(webhookRequest("checkouts/create", checkoutPayload({ token: "tok-no-session", createdAt: T })));
      expect(res.status).toBe(200);
      expect(await prisma.checkout.count({ where: { token: "tok-no-session" } })).toBe(1);
      expect(loadSession).not.toHaveBeenCalled();
    } finally {
      loadSession.mockRestore();
    }
  });
});
