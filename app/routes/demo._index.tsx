import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { requireDemo } from "~/demo/guard.server";
import { adminHost, DEMO_SHOP, mintSessionToken } from "~/demo/session-token.server";
import { env } from "~/env.server";

// /demo: opens the embedded admin as Shopify would, with a freshly minted session token.
export const loader = async (_args: LoaderFunctionArgs) => {
  requireDemo();
  const token = await mintSessionToken({ shop: DEMO_SHOP, apiKey: env().SHOPIFY_API_KEY, apiSecret: env().SHOPIFY_API_SECRET });
  const params = new URLSearchParams({ embedded: "1", shop: DEMO_SHOP, host: adminHost(DEMO_SHOP), id_token: token });
  throw redirect(`/app?${params}`);
};
