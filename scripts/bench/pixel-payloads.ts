import { pixelBatch, pixelCustomer, productAddedToCart, productViewed } from "../../app/demo/pixel-events";

export const BENCH_PIXEL_SHOP = "bench-pixel.myshopify.com";

/**
 * POST /pixel/events bodies as the web pixel sends them: Shopify's standard events (two
 * product views and an add to cart, about 6 KB with their page context) of a logged-in
 * customer of the seeded shop (customer id n % shoppers + 1), each request from its own client
 * id and its own forwarded IP, so the collector's per-client and per-IP limits don't cut in.
 */
export function pixelBatches(options: { runId: string; shoppers: number }) {
  const product = { productId: "1001", variantId: "4001", title: "Trail Tent", price: 189 };
  return (n: number) => {
    const clientId = `bench-${options.runId}-${n}`;
    const now = Date.now();
    const base = { clientId, storefront: `https://${BENCH_PIXEL_SHOP}` };
    const events = [
      productViewed({ ...base, at: new Date(now - 60_000) }, product),
      productViewed({ ...base, at: new Date(now - 30_000) }, product),
      productAddedToCart({ ...base, at: new Date(now) }, product),
    ];
    const body = JSON.stringify(pixelBatch(BENCH_PIXEL_SHOP, clientId, pixelCustomer(String((n % options.shoppers) + 1)), events));
    return { body, headers: { "content-type": "text/plain", origin: `https://${BENCH_PIXEL_SHOP}`, "x-forwarded-for": `198.18.${(n >> 8) & 255}.${n & 255}` } };
  };
}
