import "@shopify/shopify-api/adapters/web-api";
import { ApiVersion, LogSeverity, shopifyApi } from "@shopify/shopify-api";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { postSignedWebhook, webhookHeaders } from "./shopify-payloads";

const SECRET = "payloads-test-secret";
const API_VERSION = ApiVersion.April26;

// Shopify's own library checks the headers, as the app's webhook edge does (verify-webhook.server.ts).
const shopify = shopifyApi({
  apiKey: "key",
  apiSecretKey: SECRET,
  apiVersion: API_VERSION,
  hostName: "nudge.test",
  isEmbeddedApp: true,
  logger: { level: LogSeverity.Error },
});

function validate(body: string, headers: Record<string, string>) {
  return shopify.webhooks.validate({ rawBody: body, rawRequest: new Request("https://nudge.test/webhooks/checkouts/create", { method: "POST", headers, body }) });
}

describe("webhookHeaders", () => {
  const body = JSON.stringify({ token: "abc", phone: "+16135550123" });
  const delivery = { topic: "checkouts/create", shop: "nudge-test.myshopify.com", secret: SECRET, apiVersion: API_VERSION };

  it("builds headers Shopify's library accepts", async () => {
    const check = await validate(body, webhookHeaders({ ...delivery, body, webhookId: "wh-1" }));
    expect(check).toMatchObject({ valid: true, topic: "CHECKOUTS_CREATE", domain: "nudge-test.myshopify.com", webhookId: "wh-1", apiVersion: API_VERSION });
  });

  it("signs the raw body: another secret or another body fails the check", async () => {
    expect(await validate(body, webhookHeaders({ ...delivery, body, secret: "other" }))).toMatchObject({ valid: false });
    expect(await validate(`${body} `, webhookHeaders({ ...delivery, body }))).toMatchObject({ valid: false });
  });

  it("posts the signed payload to the app's webhook route", async () => {
    const seen: { url?: string; body?: string; headers?: Record<string, string> } = {};
    const server = createServer((req, res) => {
      let text = "";
      req.on("data", (chunk) => (text += chunk));
      req.on("end", () => {
        Object.assign(seen, { url: req.url, body: text, headers: req.headers });
        res.end("ok");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const res = await postSignedWebhook(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { token: "abc" }, delivery);
      expect(res.status).toBe(200);
      expect(seen.url).toBe("/webhooks/checkouts/create");
      expect(await validate(seen.body!, seen.headers!)).toMatchObject({ valid: true });
    } finally {
      server.close();
    }
  });
});
