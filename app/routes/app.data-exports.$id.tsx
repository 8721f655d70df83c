import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { database } from "~/db.server";
import { readDataExportFile } from "~/privacy/data-exports.server";
import { authenticate } from "~/shopify.server";

// A customers/data_request export as a JSON download for the merchant (linked from the
// shopper's page). Another shop's export, or a malformed id, is a 404 like a missing one.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const id = z.uuid().safeParse(params.id);
  const file = id.success ? await readDataExportFile((await database()).sql, session.shop, id.data) : null;
  if (!file) return new Response("Export not found", { status: 404 });
  return new Response(file.body, {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="${file.fileName}"`,
      // Personal data: never kept by a browser or proxy cache.
      "cache-control": "no-store",
    },
  });
};
