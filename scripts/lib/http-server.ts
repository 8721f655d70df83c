import type { Server } from "node:http";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { isCrossOriginPageAction, routeTree } from "../../app/lib/cross-origin-page-action";
import type { ServerStartOptions } from "../../app/entry.server";
import { log } from "../../app/lib/log.server";
import { CORS_HEADERS } from "../../app/pixel/cors";
import { serveWebhookActions, webhookActions } from "./webhook-actions";

type NudgeBuild = ServerBuild & {
  entry: { module: { onServerStart?: (options?: ServerStartOptions) => Promise<{ database: string }>; onServerStop?: () => Promise<void> } };
};

export interface RunningServer {
  url: string;
  database: string;
  close(): Promise<void>;
}

/**
 * Serves the production build (npm run build) with Express: static assets plus Remix. `start`
 * goes to the build's onServerStart (app/entry.server.tsx): what a script passes in, such as
 * the demo's stand-in storefront.
 */
export async function startHttpServer(options: { port: number; host?: string; start?: ServerStartOptions }): Promise<RunningServer> {
  const buildPath = resolve("build/server/index.js");
  const build = (await import(pathToFileURL(buildPath).href)) as NudgeBuild;
  const started = await build.entry.module.onServerStart?.(options.start);

  const app = express();
  app.disable("x-powered-by");
  app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
  app.use(express.static("build/client", { maxAge: "1h" }));
  // The pixel collector's CORS preflight: Remix's router answers OPTIONS 405 before any route.
  app.options("/pixel/events", (_req, res) => void res.status(204).set(CORS_HEADERS).end());
  // Webhook routes: their actions called directly, not through Remix's pipeline (ADR 024).
  app.use(serveWebhookActions(webhookActions(build.routes), (error, path) => log.error("webhook route failed", { path, error })));
  // A form posted to a page from another site: 403 here, not Remix's CSRF 500 (issue #18, item 3).
  const routes = routeTree(build.routes as Parameters<typeof routeTree>[0]);
  app.use((req, res, next) => {
    const url = new URL(req.originalUrl, "http://local");
    if (!isCrossOriginPageAction(routes, req.method, url, { get: (name) => req.get(name) ?? null })) return next();
    res.status(403).json({ ok: false, error: "Cross-origin form posts are not accepted" });
  });
  app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV }));

  const host = options.host ?? "0.0.0.0";
  const server: Server = await new Promise((done, fail) => {
    const listening = app.listen(options.port, host, () => done(listening)).on("error", fail);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  return {
    url: `http://localhost:${port}`,
    database: started?.database ?? "unknown",
    async close() {
      // close() waits for open keep-alive connections (a browser tab, a load generator):
      // drop the idle ones now and the rest after a grace period, or it never returns.
      const closed = new Promise<void>((done) => server.close(() => done()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), 3_000);
      await closed;
      clearTimeout(force);
      await build.entry.module.onServerStop?.();
    },
  };
}

/** Runs a script's main(): closes the server on SIGINT/SIGTERM, prints a failure and exits 1. */
export function runMain(main: () => Promise<RunningServer>): void {
  main()
    .then((server) => {
      const stop = async () => {
        // A shutdown that hangs (a stuck query, say) must not leave the process behind.
        setTimeout(() => process.exit(1), 10_000).unref();
        await server.close();
        process.exit(0);
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    });
}
