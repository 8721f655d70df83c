import type { LoaderFunctionArgs } from "@remix-run/node";
import { clock } from "~/clock.server";
import { requireDemo } from "~/demo/guard.server";
import { env } from "~/env.server";

// The app's (accelerated) clock, so the demo's store simulator keeps time with the app.
export const loader = async (_args: LoaderFunctionArgs) => {
  requireDemo();
  return Response.json({ now: clock.now().toISOString(), scale: env().NUDGE_TIME_SCALE }, { headers: { "cache-control": "no-store" } });
};
