import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable, type EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { closeDatabase, database } from "./db.server";
import { warmPool } from "./db/open-database.server";
import { startDispatcher, type DispatcherOptions } from "./dispatch/worker.server";
import { startOrderImporter } from "./order-import/importer.server";
import type { BackgroundLoop } from "./lib/round-loop.server";
import { env } from "./env.server";
import { addDocumentResponseHeaders } from "./shopify.server";

export const streamTimeout = 5000;

export default async function handleRequest(request: Request, responseStatusCode: number, responseHeaders: Headers, remixContext: EntryContext) {
  // Sets the frame-ancestors CSP Shopify admin requires for embedded pages.
  addDocumentResponseHeaders(request, responseHeaders);
  const userAgent = request.headers.get("user-agent");
  const callbackName = isbot(userAgent ?? "") ? "onAllReady" : "onShellReady";

  return new Promise((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(<RemixServer context={remixContext} url={request.url} />, {
      [callbackName]: () => {
        const body = new PassThrough();
        const stream = createReadableStreamFromReadable(body);
        responseHeaders.set("Content-Type", "text/html");
        resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
        pipe(body);
      },
      onShellError(error) {
        reject(error);
      },
      onError(error) {
        responseStatusCode = 500;
        console.error(error);
      },
    });
    setTimeout(abort, streamTimeout + 1000);
  });
}

/**
 * Called once by scripts/serve.ts before it listens: opens the database and applies
 * pending migrations, so a broken DATABASE_URL fails the start, not the first request, and
 * starts the in-process dispatcher. `npm run demo` passes its stand-in storefront here.
 */
let dispatcher: BackgroundLoop | null = null;
let importer: BackgroundLoop | null = null;

export interface ServerStartOptions {
  storefrontFor?: DispatcherOptions["storefrontFor"];
}

export async function onServerStart(options: ServerStartOptions = {}): Promise<{ database: string }> {
  const { description, sql } = await database();
  // The pool's connections open now, not in the merchant's first dashboard (ten aggregates side by side).
  await warmPool(sql);
  if (env().NUDGE_IN_PROCESS_WORKER === "on") dispatcher = startDispatcher({ storefrontFor: options.storefrontFor });
  if (env().NUDGE_IN_PROCESS_WORKER === "on") importer = startOrderImporter();
  return { database: description };
}

export async function onServerStop(): Promise<void> {
  await dispatcher?.stop();
  await importer?.stop();
  await closeDatabase();
}
