import { createSecretKey, randomUUID } from "node:crypto";
import { SignJWT } from "jose";

export const DEMO_SHOP = "nudge-demo.myshopify.com";
const DEMO_USER_ID = "1";

/**
 * Mints a Shopify admin session token (the JWT App Bridge's idToken() returns), signed with
 * the app secret, for the offline demo and browser tests. Claims as documented at
 * shopify.dev/docs/apps/build/authentication-authorization/session-tokens.
 */
export async function mintSessionToken(options: { shop: string; apiKey: string; apiSecret: string; ttlSeconds?: number }) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: `https://${options.shop}/admin`,
    dest: `https://${options.shop}`,
    aud: options.apiKey,
    sub: DEMO_USER_ID,
    exp: now + (options.ttlSeconds ?? 60),
    nbf: now - 5,
    iat: now,
    jti: randomUUID(),
    sid: randomUUID(),
  })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .sign(createSecretKey(Buffer.from(options.apiSecret)));
}

/** admin.shopify.com/store/<name>, base64 encoded, as Shopify passes it in ?host=. */
export function adminHost(shop: string): string {
  return Buffer.from(`admin.shopify.com/store/${shop.replace(/\.myshopify\.com$/, "")}`).toString("base64url");
}
