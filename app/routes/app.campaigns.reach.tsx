import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import type { SegmentMembers } from "~/adapters/shopify-segments.server";
import { audienceFromPicker } from "~/campaigns/audience";
import { audienceReach } from "~/campaigns/reach.server";
import { segmentMembersOf } from "~/campaigns/segment-audience.server";
import { clock } from "~/clock.server";
import { database } from "~/db.server";
import { authenticate } from "~/shopify.server";

const QuerySchema = z.object({
  audience: z.string().max(80),
  days: z.coerce.number().int().min(1).max(365).catch(30),
  smart: z.coerce.number().int().min(0).max(72).catch(16),
});

/**
 * The composer's live reach: who the audience texts, and who it leaves out and why. A Shopify
 * segment's members are read from Shopify (paginated) and matched to Nudge's shoppers.
 */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  // cors: the segment action extension (extensions/nudge-segment-action) asks from Shopify admin's origin.
  const { session, admin, cors } = await authenticate.admin(request);
  const query = QuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  const audience = query.success ? audienceFromPicker(query.data.audience, query.data.days) : null;
  if (!query.success || !audience) return cors(Response.json({ error: "Unknown audience" }, { status: 400 }));
  const { sql } = await database();
  let members: SegmentMembers | undefined;
  if (audience.kind === "segment") {
    const read = await segmentMembersOf(sql, admin, session.shop, audience.id);
    if (!read.ok) return cors(Response.json({ error: read.message }, { status: 503 }));
    members = read.value;
  }
  const reach = await sql.transaction((tx) => audienceReach(tx, session.shop, audience, clock.now(), query.data.smart, undefined, members));
  return cors(Response.json({ reach }));
};
