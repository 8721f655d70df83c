import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireDemo } from "~/demo/guard.server";
import { DEMO_SHOP, mintSessionToken } from "~/demo/session-token.server";
import { env } from "~/env.server";

// What App Bridge's shopify.idToken() returns inside the real admin.
export const loader = async (_args: LoaderFunctionArgs) => {
  requireDemo();
  const token = await mintSessionToken({ shop: DEMO_SHOP, apiKey: env().SHOPIFY_API_KEY, apiSecret: env().SHOPIFY_API_SECRET });
  return new Response(token, { headers: { "content-type": "text/plain", "cache-control": "no-store" } });
};
