import type { LoaderFunctionArgs } from "@remix-run/node";
import { isbot } from "isbot";
import { clock } from "~/clock.server";
import { database } from "~/db.server";
import { isLinkId } from "~/offers/short-links.server";
import { followLink } from "~/services/link-clicks.server";

// Tracked links from texts: /r/<id> -> the stored target (never one from the request).
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const id = params.id ?? "";
  if (!isLinkId(id)) return notFound();
  const counted = request.method === "GET" && !isbot(request.headers.get("user-agent") ?? "");
  const target = await followLink((await database()).sql, id, { at: clock.now(), counted });
  if (!target) return notFound();
  return new Response(null, { status: 302, headers: { location: target, "cache-control": "no-store", "referrer-policy": "no-referrer" } });
};

function notFound() {
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Link not found</title></head>
<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;line-height:1.5">
<h1>This link has expired or doesn't exist</h1><p>Please check the text you received, or visit the store directly.</p></body></html>`;
  return new Response(page, { status: 404, headers: { "content-type": "text/html; charset=utf-8" } });
}
