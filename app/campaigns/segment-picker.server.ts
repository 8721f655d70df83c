import type { AdminApiClient } from "../adapters/shopify-admin.server";
import { listSegments, readSegment, type ShopifySegment } from "../adapters/shopify-segments.server";
import { SegmentIdSchema } from "./audience";

export interface ComposerSegments {
  segments: ShopifySegment[];
  /** Why the shop's segments couldn't be listed (Nudge's own audiences still are). */
  segmentsError: string | null;
  /** The picker's first value: the segment asked for by ?segment= when the shop has it. */
  initialAudience: string | null;
}

/**
 * The Shopify segments the composer's Audience picker lists beside Nudge's audiences, with the
 * one the segment action extension asked for (?segment=<gid>) chosen, read by id when it isn't
 * among the listed ones.
 */
export async function composerSegments(admin: AdminApiClient, shop: string, wanted: string | null): Promise<ComposerSegments> {
  const listed = await listSegments(admin, shop);
  const segments = listed.ok ? listed.value : [];
  const id = SegmentIdSchema.safeParse(wanted);
  let chosen = id.success ? (segments.find((s) => s.id === id.data) ?? null) : null;
  if (id.success && !chosen) {
    const one = await readSegment(admin, shop, id.data);
    if (one.ok && one.value) segments.unshift((chosen = one.value));
  }
  return { segments, segmentsError: listed.ok ? null : listed.message, initialAudience: chosen ? `segment:${chosen.id}` : null };
}
