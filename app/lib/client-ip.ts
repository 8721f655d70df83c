/**
 * The shopper's IP: the first X-Forwarded-For entry, the one the first proxy saw (Shopify's
 * app proxy and our host's load balancer append theirs after it); null without the header.
 */
export function clientIp(headers: Headers): string | null {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || null;
}
