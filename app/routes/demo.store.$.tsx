import type { LoaderFunctionArgs } from "@remix-run/node";
import { database } from "~/db.server";
import { requireDemo } from "~/demo/guard.server";
import { storefrontPage } from "~/demo/pages/storefront-page";
import { findStandInCheckout } from "~/demo/standin-checkout.server";
import { applyDiscountRedirect } from "~/demo/storefront.server";

// /demo/store/*: the offline demo's stand-in for https://nudge-demo.myshopify.com, where the
// texts' discount links lead (/discount/<code>?redirect=/checkouts/…, /cart/<variant>:<qty>?discount=<code>), so the demo never
// sends a browser to the real Shopify.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  requireDemo();
  const url = new URL(request.url);
  const path = `/${params["*"] ?? ""}`;
  const discount = path.match(/^\/discount\/([^/]{1,100})$/);
  if (discount) {
    const { location, cookie } = applyDiscountRedirect(decodeURIComponent(discount[1]!), url.searchParams.get("redirect"));
    return new Response(null, { status: 302, headers: { location, "set-cookie": cookie, "cache-control": "no-store" } });
  }
  // A cart permalink (/cart/<variant>:<qty>,…?discount=<code>) from a browse or cart text
  // (https://shopify.dev/docs/apps/build/checkout/create-cart-permalinks): the stand-in keeps
  // the code and shows its home page.
  if (/^\/cart\/\d+:\d+(,\d+:\d+)*$/.test(path)) {
    const code = url.searchParams.get("discount");
    if (code && /^[A-Za-z0-9-]{1,100}$/.test(code)) {
      const { location, cookie } = applyDiscountRedirect(code, null);
      return new Response(null, { status: 302, headers: { location, "set-cookie": cookie, "cache-control": "no-store" } });
    }
  }
  const code = request.headers.get("cookie")?.match(/(?:^|;\s*)demo_discount=([^;]+)/)?.[1];
  const checkoutToken = path.match(/^\/checkouts\/(?:cn\/)?([A-Za-z0-9_-]{1,100})/)?.[1] ?? null;
  const { sql } = await database();
  const found = checkoutToken ? await findStandInCheckout(sql, checkoutToken, code ? decodeURIComponent(code) : null) : null;
  const page = storefrontPage({
    kind: checkoutToken ? "checkout" : "home",
    discountCode: code ? decodeURIComponent(code) : null,
    checkout: found?.checkout ?? null,
    percent: found?.percent ?? null,
  });
  return new Response(page, { headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });
};
