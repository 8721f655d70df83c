import type { ActionFunctionArgs } from "@remix-run/node";
import { clock } from "~/clock.server";
import { database } from "~/db.server";
import { requireDemo } from "~/demo/guard.server";
import { DemoStorefrontEventsSchema, recordDemoStorefrontEvents } from "~/demo/storefront-events.server";
import { log } from "~/lib/log.server";

// POST /demo/storefront-events: the demo store simulator's product views and cart adds, fed
// to the journey as the web pixel's collector does for a known shopper (issue #13).
export const action = async ({ request }: ActionFunctionArgs) => {
  requireDemo();
  const body = await request.json().catch(() => null);
  const parsed = DemoStorefrontEventsSchema.safeParse(body);
  if (!parsed.success) {
    log.warn("demo storefront events rejected", { issues: parsed.error.issues.length });
    return Response.json({ ok: false, error: "invalid events" }, { status: 400 });
  }
  const recorded = await recordDemoStorefrontEvents((await database()).sql, parsed.data, clock.now());
  return Response.json({ ok: recorded }, { status: recorded ? 200 : 404 });
};
