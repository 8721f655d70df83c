import type { LoaderFunctionArgs } from "@remix-run/node";
import { clock } from "~/clock.server";
import { database } from "~/db.server";
import { requireDemo } from "~/demo/guard.server";
import { measureOutcome } from "~/demo/outcome.server";
import { DEMO_SHOP } from "~/demo/session-token.server";

// What the demo shop's run has produced so far (npm run demo -- --ci reads it at the end).
export const loader = async (_args: LoaderFunctionArgs) => {
  requireDemo();
  const now = clock.now().getTime();
  const range = { from: new Date(now - 90 * 86_400_000), to: new Date(now + 86_400_000), now: new Date(now) };
  return Response.json(await measureOutcome((await database()).sql, DEMO_SHOP, range), { headers: { "cache-control": "no-store" } });
};
