import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireDemo } from "~/demo/guard.server";
import { demoThemeExtensions } from "~/demo/theme-extensions.server";

// A stand-in for cdn.shopify.com/shopifycloud/app-bridge.js in the offline demo: it gives
// the page shopify.idToken() and adds the session token to same-origin fetches, which is
// what the real App Bridge does inside Shopify admin. shopify.app.extensions() answers with
// the list the demo passes in (app/demo/theme-extensions.server.ts).
const script = (extensions: unknown) => `(() => {
  const extensions = ${JSON.stringify(JSON.stringify(extensions))};
  const idToken = () => fetch("/demo/id-token", { credentials: "same-origin" }).then((r) => r.text());
  const nativeFetch = window.fetch.bind(window);
  window.fetch = async (input, init = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input), location.href);
    if (url.origin === location.origin && !url.pathname.startsWith("/demo/")) {
      const headers = new Headers(init.headers || (input instanceof Request ? input.headers : undefined));
      if (!headers.has("Authorization")) headers.set("Authorization", "Bearer " + (await idToken()));
      init = { ...init, headers };
    }
    return nativeFetch(input, init);
  };
  // The real App Bridge turns <ui-nav-menu> into the admin's sidebar; here we just hide it.
  const style = document.createElement("style");
  style.textContent = "ui-nav-menu { display: none; }";
  document.head.appendChild(style);
  const noop = () => undefined;
  window.shopify = {
    idToken,
    app: { extensions: () => Promise.resolve(JSON.parse(extensions)) },
    config: { apiKey: document.currentScript && document.currentScript.dataset.apiKey },
    toast: { show: (message) => console.info("[toast]", message), hide: noop },
    loading: noop,
    modal: { show: noop, hide: noop, toggle: noop },
    saveBar: { show: noop, hide: noop, toggle: noop, leaveConfirmation: () => Promise.resolve() },
  };
})();`;

export const loader = async (_args: LoaderFunctionArgs) => {
  requireDemo();
  return new Response(script(demoThemeExtensions()), { headers: { "content-type": "text/javascript; charset=utf-8", "cache-control": "no-store" } });
};
