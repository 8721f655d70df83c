import { register } from "@shopify/web-pixels-extension";
import { createBatcher } from "./batcher";

// The standard events the browse and cart flows and visitor identification read
// (https://shopify.dev/docs/api/web-pixels-api/standard-events).
const EVENTS = ["product_viewed", "product_added_to_cart", "cart_viewed", "checkout_started", "checkout_contact_info_submitted"] as const;
const COOKIE_DAYS = 365;

register(({ analytics, browser, init, settings }) => {
  const url = String(settings.collectorUrl ?? "");
  const shop = String(settings.shop ?? "");
  if (!/^https:\/\//.test(url) || !shop) return;
  const batcher = createBatcher({
    url,
    shop,
    customer: init.data.customer ?? null,
    post: (to, body) => void fetch(to, { method: "POST", body, keepalive: true, headers: { "content-type": "text/plain" } }).catch(() => undefined),
    schedule: (fn, ms) => setTimeout(fn, ms),
  });
  let cookieSet = false;
  for (const name of EVENTS) {
    analytics.subscribe(name, (event) => {
      // The opt-in popup reads this first-party cookie to tie a sign-up to this browser's events
      // (Shopify stopped setting _shopify_y in 2026; the pixel's clientId replaces it).
      if (!cookieSet && event.clientId) {
        cookieSet = true;
        void browser.cookie.set(`_nudge_cid=${event.clientId}; path=/; max-age=${COOKIE_DAYS * 86_400}; SameSite=Lax; Secure`);
      }
      batcher.add(event);
    });
  }
});
