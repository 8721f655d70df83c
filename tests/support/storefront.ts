import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { Liquid, Tag, type Context, type Emitter, type TagToken, type TopLevelToken } from "liquidjs";

const EXTENSION = "extensions/optin-popup";

/**
 * Renders the theme app extension's app embed the way a theme would (with liquidjs, which
 * implements Shopify's Liquid), using the schema's defaults plus `overrides`.
 */
export async function renderOptinEmbed(shopName: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const source = readFileSync(join(EXTENSION, "blocks/optin-popup.liquid"), "utf8");
  const schema = JSON.parse(source.match(/{%\s*schema\s*%}([\s\S]*?){%\s*endschema\s*%}/)![1]!);
  const defaults = Object.fromEntries((schema.settings as { id?: string; default?: unknown }[]).filter((s) => s.id).map((s) => [s.id!, s.default ?? null]));
  const locale = JSON.parse(readFileSync(join(EXTENSION, "locales/en.default.json"), "utf8"));
  const engine = new Liquid();
  engine.registerTag(
    "schema",
    class extends Tag {
      constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid) {
        super(token, remain, liquid);
        while (remain.length) {
          const next = remain.shift()!;
          if ((next as TagToken).name === "endschema") break;
        }
      }
      *render(_ctx: Context, _emitter: Emitter) {}
    },
  );
  engine.registerFilter("asset_url", (name: string) => `/assets/${name}`);
  engine.registerFilter("stylesheet_tag", (url: string) => `<link rel="stylesheet" href="${url}">`);
  engine.registerFilter("t", (key: string) => key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], locale) ?? key);
  return engine.parseAndRender(source, {
    shop: { name: shopName, privacy_policy: { url: "/policies/privacy-policy" } },
    localization: { country: { iso_code: "US" } },
    block: { settings: { ...defaults, ...overrides } },
  });
}

/**
 * A local storefront: one product page with the app embed, the extension's assets, and
 * /apps/nudge/* handed to `proxy` as Shopify's app proxy would (it signs and forwards).
 */
export async function startStorefront(embed: string, proxy: (path: string, body: string, headers: Record<string, string>) => Promise<Response>) {
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://storefront");
    if (url.pathname.startsWith("/assets/")) {
      const name = url.pathname.slice("/assets/".length).replace(/[^a-z0-9.-]/gi, "");
      res.writeHead(200, { "content-type": name.endsWith(".js") ? "text/javascript" : "text/css" });
      return res.end(readFileSync(join(EXTENSION, "assets", name)));
    }
    if (url.pathname.startsWith("/apps/nudge/")) {
      let body = "";
      for await (const chunk of req) body += chunk;
      const answer = await proxy(url.pathname.slice("/apps/nudge".length), body, {
        "content-type": String(req.headers["content-type"] ?? ""),
        "user-agent": String(req.headers["user-agent"] ?? ""),
        "x-forwarded-for": req.socket.remoteAddress ?? "",
      });
      res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" });
      return res.end(await answer.text());
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Board</title></head>
<body><header><a href="/">Snow Devil</a></header><main><h1>Snowboard</h1><button id="add">Add to cart</button></main>${embed}</body></html>`);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
