import { gzipSync } from "node:zlib";
import { runInNewContext } from "node:vm";
import { build } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { checkoutContactInfoSubmitted, pixelCustomer, productAddedToCart, productViewed } from "~/demo/pixel-events";

// Issue #18, item 1: the web pixel as Shopify runs it. The bundle is built here as the Shopify
// CLI builds it (esbuild, one IIFE with @shopify/web-pixels-extension inlined), must stay under
// 10 KB gzipped, and is run in a fresh context against a fake `shopify.extend`, analytics,
// browser, fetch and timers: what it subscribes to, what it posts, when.
const TENT = { productId: "1001", variantId: "4001", title: "Trail Tent" };
const SETTINGS = { collectorUrl: "https://nudge.example/pixel/events", shop: "trail-co.myshopify.com" };
let bundle = "";

beforeAll(async () => {
  const result = await build({ entryPoints: ["extensions/nudge-pixel/src/index.ts"], bundle: true, minify: true, format: "iife", target: "es2020", write: false, logLevel: "silent" });
  bundle = result.outputFiles[0]!.text;
});

interface Post {
  url: string;
  init: { method: string; body: string; keepalive: boolean; headers: Record<string, string> };
}

function runPixel(options: { customer?: unknown; settings?: Record<string, string> } = {}) {
  const subscribers = new Map<string, (event: unknown) => void>();
  const posts: Post[] = [];
  const cookies: string[] = [];
  const timers: (() => void)[] = [];
  let extendCalls = 0;
  const api = {
    analytics: { subscribe: (name: string, callback: (event: unknown) => void) => (subscribers.set(name, callback), () => true) },
    browser: { cookie: { set: async (cookie: string) => (cookies.push(cookie), cookie), get: async () => "" }, sendBeacon: async () => true },
    init: { data: { customer: options.customer ?? null, cart: null, shop: {}, purchasingCompany: null }, context: {}, customerPrivacy: {} },
    settings: options.settings ?? SETTINGS,
  };
  runInNewContext(bundle, {
    shopify: {
      extend: (point: string, extend: (api: unknown) => void) => {
        expect(point).toBe("WebPixel::Render");
        extendCalls++;
        extend(api);
      },
    },
    fetch: async (url: string, init: Post["init"]) => (posts.push({ url, init }), { ok: true }),
    setTimeout: (fn: () => void) => (timers.push(fn), timers.length),
    JSON,
    String,
  });
  expect(extendCalls).toBe(1);
  const emit = (event: { name: string }) => subscribers.get(event.name)!(event);
  const runTimers = () => timers.splice(0).forEach((fn) => fn());
  return { subscribers, posts, cookies, emit, runTimers, bodies: () => posts.map((p) => JSON.parse(p.init.body)) };
}

describe("the nudge web pixel", () => {
  it("builds to under 10 KB gzipped", () => {
    const gzipped = gzipSync(bundle).length;
    expect(gzipped).toBeLessThan(10 * 1024);
  });

  it("subscribes to the five standard events the flows read", () => {
    const pixel = runPixel();
    expect([...pixel.subscribers.keys()].sort()).toEqual(["cart_viewed", "checkout_contact_info_submitted", "checkout_started", "product_added_to_cart", "product_viewed"]);
  });

  it("posts a batch of events exactly as handed over, with the shop, client id and customer, text/plain with keepalive", () => {
    const customer = pixelCustomer("7100", { email: "ana@example.com" });
    const pixel = runPixel({ customer });
    const me = { clientId: "c0ffee00-0000-4000-8000-000000000001" };
    const viewed = productViewed({ ...me, at: new Date("2026-11-24T15:00:00Z") }, TENT);
    const added = productAddedToCart({ ...me, at: new Date("2026-11-24T15:01:00Z") }, TENT);
    pixel.emit(viewed);
    pixel.emit(added);
    expect(pixel.posts).toEqual([]); // batched
    pixel.runTimers();
    expect(pixel.posts).toHaveLength(1);
    expect(pixel.posts[0]).toMatchObject({ url: SETTINGS.collectorUrl, init: { method: "POST", keepalive: true, headers: { "content-type": "text/plain" } } });
    expect(pixel.bodies()[0]).toEqual({ shop: SETTINGS.shop, clientId: me.clientId, customer, events: [viewed, added] });
    expect(pixel.cookies).toEqual([`_nudge_cid=${me.clientId}; path=/; max-age=31536000; SameSite=Lax; Secure`]);
  });

  it("sends a checkout event at once, and at most 10 events a batch", () => {
    const pixel = runPixel();
    const me = { clientId: "c0ffee00-0000-4000-8000-000000000002" };
    for (let i = 0; i < 12; i++) pixel.emit(productViewed({ ...me, at: new Date(1_800_000_000_000 + i) }, TENT));
    expect(pixel.bodies().map((b) => b.events.length)).toEqual([10]);
    pixel.emit(checkoutContactInfoSubmitted({ ...me, at: new Date(1_800_000_100_000) }, "chk-1", [{ product: TENT, quantity: 1 }], { phone: "+12125550100" }));
    expect(pixel.bodies().map((b) => b.events.length)).toEqual([10, 3]);
    pixel.runTimers();
    expect(pixel.posts).toHaveLength(2);
  });

  it("keeps every batch under the collector's 64 KB cap", () => {
    const pixel = runPixel();
    const me = { clientId: "c0ffee00-0000-4000-8000-000000000003" };
    const long = { ...TENT, title: "T".repeat(9_000) };
    for (let i = 0; i < 9; i++) pixel.emit(productViewed({ ...me, at: new Date(1_800_000_000_000 + i) }, long));
    pixel.runTimers();
    expect(pixel.posts.length).toBeGreaterThan(1);
    expect(pixel.posts.every((p) => Buffer.byteLength(p.init.body) < 64 * 1024)).toBe(true);
  });

  it("does nothing without its settings", () => {
    const pixel = runPixel({ settings: { collectorUrl: "", shop: "" } });
    expect(pixel.subscribers.size).toBe(0);
  });
});
