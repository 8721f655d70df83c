import { backgroundAdmin, type AdminApiClient } from "../adapters/shopify-admin.server";
import { readSegmentMembers, type SegmentMembers, type SegmentRead } from "../adapters/shopify-segments.server";
import type { SqlDriver } from "../db/sql-driver.server";

/** Reads a Shopify segment's members for a shop (for a scheduled campaign's fan-out, outside a merchant's request). */
export type SegmentMemberReader = (shop: string, segmentId: string) => Promise<SegmentRead<SegmentMembers>>;

/** A segment's members through the given Admin API client, phones read in the shop's country. */
export async function segmentMembersOf(sql: SqlDriver, admin: AdminApiClient, shop: string, segmentId: string): Promise<SegmentRead<SegmentMembers>> {
  const [row] = await sql.query<{ country: string | null }>("SELECT country FROM shop WHERE domain = $1", [shop]);
  return readSegmentMembers(admin, shop, segmentId, row?.country ?? null);
}

/** The reader over the shop's offline session: what the dispatcher loop uses for scheduled campaigns. */
export function backgroundSegmentReader(sql: SqlDriver): SegmentMemberReader {
  return async (shop, segmentId) => {
    const admin = await backgroundAdmin(shop);
    if (!admin.ok) return { ok: false, message: admin.message };
    return segmentMembersOf(sql, admin.admin, shop, segmentId);
  };
}
