import { matchRoutes, type AgnosticRouteObject } from "@remix-run/router";

/**
 * Remix 2 refuses a page action posted from another origin (its CSRF check compares Origin with
 * X-Forwarded-Host or Host) by throwing inside handleDocumentRequest, which answers 500
 * (@remix-run/server-runtime 2.17.5, dist/actions.js and server.js). A form posted from another
 * site is the sender's mistake, not ours: the server answers it 403 before Remix sees it.
 * Resource routes (no default export and no ErrorBoundary: webhooks, the pixel collector) are
 * not checked by Remix and are left alone.
 */

interface ManifestRoute {
  id: string;
  parentId?: string;
  path?: string;
  index?: boolean;
  caseSensitive?: boolean;
  module: { default?: unknown; ErrorBoundary?: unknown };
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** The routes of a Remix build's manifest as a tree router's matchRoutes can walk. */
export function routeTree(manifest: Record<string, ManifestRoute>): AgnosticRouteObject[] {
  const byParent = new Map<string, ManifestRoute[]>();
  for (const route of Object.values(manifest)) {
    const parent = route.parentId ?? "";
    byParent.set(parent, [...(byParent.get(parent) ?? []), route]);
  }
  const build = (parentId: string): AgnosticRouteObject[] =>
    (byParent.get(parentId) ?? []).map((route) =>
      route.index
        ? { id: route.id, path: route.path, index: true, caseSensitive: route.caseSensitive, handle: route }
        : { id: route.id, path: route.path, caseSensitive: route.caseSensitive, handle: route, children: build(route.id) },
    );
  return build("");
}

/** Whether Remix would throw its CSRF error (a 500) for this request. */
export function isCrossOriginPageAction(routes: AgnosticRouteObject[], method: string, url: URL, headers: { get(name: string): string | null }): boolean {
  if (!UNSAFE.has(method.toUpperCase())) return false;
  const origin = headers.get("origin");
  if (origin === null) return false;
  const host = headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host");
  if (host && origin !== "null" && hostOf(origin) === host) return false;
  if (url.searchParams.has("_data")) return false; // the old data requests skip the check
  if (url.pathname.endsWith(".data")) return true; // single-fetch actions run it
  const leaf = matchRoutes(routes, url.pathname)?.at(-1)?.route.handle as ManifestRoute | undefined;
  return !(leaf && leaf.module.default == null && leaf.module.ErrorBoundary == null);
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null; // Remix's own `new URL` would throw here too: a 500 as well
  }
}
