import { afterAll, describe, expect, it } from "vitest";
import { installByTokenExchange, SHOP_NAME_QUERY, standinShopify, tokenRequestsOf } from "../support/offline-tokens";

// GIVEN SHOPIFY_API_ORIGIN pointing at a stand-in Shopify, set before the app starts.
const standin = await standinShopify();
const { unauthenticated } = await import("~/shopify.server");
const { parseEnv } = await import("~/env.server");
const { routeShopifyApiTo } = await import("~/adapters/shopify-api-origin.server");
const runtime = await import("@shopify/shopify-api/runtime"); // runtime.abstractFetch: the live binding, not a copy
afterAll(() => standin.close());

describe("SHOPIFY_API_ORIGIN", () => {
  it("sends the libraries' token exchange and Admin GraphQL calls for https://<shop> to the stand-in, naming the shop in X-Shopify-Shop-Domain", async () => {
    const shop = "origin.myshopify.com";
    standin.answer("shopName", (call) => ({ shop: { name: `Shop ${call.shop}` } }));
    await installByTokenExchange(shop);
    expect(tokenRequestsOf(standin, shop)).toEqual([{ shop, grant: "token_exchange", expiring: true, ok: true }]);

    const { admin } = await unauthenticated.admin(shop);
    const response = await admin.graphql(SHOP_NAME_QUERY);
    expect(await response.json()).toMatchObject({ data: { shop: { name: `Shop ${shop}` } } });
    // afterAuth's calls (shop details, the web pixel), then ours.
    expect(standin.adminCalls.map((c) => [c.shop, c.operationName])).toEqual([
      [shop, "nudgeShopDetails"],
      [shop, "nudgeWebPixelCreate"],
      [shop, "shopName"],
    ]);
  });

  it("keeps the method, path, query, headers and body, and leaves other hosts alone", async () => {
    const seen: { url: string; method: string; headers: Headers; body: string }[] = [];
    const before = runtime.abstractFetch;
    runtime.setAbstractFetchFunc(async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      seen.push({ url: request.url, method: request.method, headers: request.headers, body: await request.text() });
      return new Response("{}");
    });
    try {
      routeShopifyApiTo("http://127.0.0.1:4321");
      await runtime.abstractFetch("https://snow.myshopify.com/admin/api/2026-07/graphql.json?trace=1", {
        method: "POST",
        headers: { "X-Shopify-Access-Token": "shpat_x", "Content-Type": "application/json" },
        body: '{"query":"{ shop { name } }"}',
      });
      await runtime.abstractFetch("https://cdn.shopify.com/shopifycloud/app-bridge.js");
    } finally {
      runtime.setAbstractFetchFunc(before);
    }
    expect(seen[0]).toMatchObject({ url: "http://127.0.0.1:4321/admin/api/2026-07/graphql.json?trace=1", method: "POST", body: '{"query":"{ shop { name } }"}' });
    expect(seen[0]!.headers.get("x-shopify-shop-domain")).toBe("snow.myshopify.com");
    expect(seen[0]!.headers.get("x-shopify-access-token")).toBe("shpat_x");
    expect(seen[1]).toMatchObject({ url: "https://cdn.shopify.com/shopifycloud/app-bridge.js", method: "GET" });
    expect(seen[1]!.headers.get("x-shopify-shop-domain")).toBeNull();
  });

  it("is optional, and must be a URL when set", () => {
    const base = { SHOPIFY_API_KEY: "k", SHOPIFY_API_SECRET: "s", SHOPIFY_APP_URL: "https://nudge.test" };
    expect(parseEnv(base).SHOPIFY_API_ORIGIN).toBeUndefined();
    expect(parseEnv({ ...base, SHOPIFY_API_ORIGIN: "" }).SHOPIFY_API_ORIGIN).toBeUndefined();
    expect(parseEnv({ ...base, SHOPIFY_API_ORIGIN: "http://127.0.0.1:8081" }).SHOPIFY_API_ORIGIN).toBe("http://127.0.0.1:8081");
    expect(() => parseEnv({ ...base, SHOPIFY_API_ORIGIN: "not a url" })).toThrow(/SHOPIFY_API_ORIGIN/);
  });
});
