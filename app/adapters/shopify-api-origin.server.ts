import { abstractFetch, setAbstractFetchFunc } from "@shopify/shopify-api/runtime";

/**
 * Sends every request the Shopify libraries make to https://<shop>/... (the OAuth token
 * endpoint, the Admin API) to `origin` instead, with the shop in X-Shopify-Shop-Domain: a
 * stand-in Shopify for tests and self-hosted staging (tests/support/shopify-standin.ts).
 * Requests to other hosts (Shopify's CDN, Twilio) pass through. Installed once, by wrapping the
 * fetch the libraries share (@shopify/shopify-api's runtime abstractFetch, which the token
 * calls and each GraphQL client read when they run).
 */
export function routeShopifyApiTo(origin: string): void {
  const base = new URL(origin);
  const upstream = abstractFetch;
  setAbstractFetchFunc(async (input: RequestInfo | URL, init?: RequestInit) => {
    const original = new Request(input, init);
    const url = new URL(original.url);
    if (url.protocol !== "https:" || !isShopHost(url.hostname)) return upstream(input, init);
    const headers = new Headers(original.headers);
    headers.set("X-Shopify-Shop-Domain", url.hostname);
    const target = new URL(`${url.pathname}${url.search}`, base);
    const body = original.method === "GET" || original.method === "HEAD" ? undefined : await original.text();
    return upstream(target.toString(), { method: original.method, headers, body, signal: init?.signal });
  });
}

/** A shop's own domain: <name>.myshopify.com (what the libraries address; sanitizeShop allows only these by default). */
function isShopHost(hostname: string): boolean {
  return /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/i.test(hostname);
}
