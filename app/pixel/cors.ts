/**
 * CORS for the storefront: the pixel runs in Shopify's sandbox on the shop's own domain (or a
 * custom one), so any origin may post. No cookies are read or set, so `*` gives nothing away;
 * the origin is not an authentication (anyone outside a browser can send any). The pixel posts
 * text/plain, a "simple" request with no preflight; the preflight is answered for other clients
 * by the server itself (scripts/lib/http-server.ts): Remix's router answers OPTIONS 405.
 */
export const CORS_HEADERS: Record<string, string> = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "POST, OPTIONS",
  "access-control-allow-headers": "content-type",
  "access-control-max-age": "86400",
};

export function corsJson(status: number, body: unknown): Response {
  return Response.json(body, { status, headers: { ...CORS_HEADERS, "cache-control": "no-store" } });
}
