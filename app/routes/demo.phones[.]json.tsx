import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireDemo } from "~/demo/guard.server";
import { readInbox } from "~/demo/phones/inbox-client.server";

// The simulated phones' texts, polled by /demo/phones.
export const loader = async (_args: LoaderFunctionArgs) => {
  requireDemo();
  const phones = await readInbox().catch(() => null);
  return Response.json({ available: phones !== null, phones: phones ?? [] }, { headers: { "cache-control": "no-store" } });
};
