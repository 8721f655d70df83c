import { z } from "zod";
import type { SegmentMembers } from "../adapters/shopify-segments.server";
import { STAGES, type Stage } from "../journey/types";
import { RFM_LABELS, RFM_SEGMENTS, rfmHaving, type RfmThresholds } from "./rfm";

/** A Shopify segment's gid as Shopify writes it; anything else is refused at the edge. */
export const SegmentIdSchema = z.string().regex(/^gid:\/\/shopify\/Segment\/\d{1,20}$/);

/** Who a campaign goes to, before consent is applied (Nudge's own audiences, issue #19). */
export const AudienceSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("subscribers") }),
  z.object({ kind: z.literal("stage"), stage: z.enum(STAGES as [Stage, ...Stage[]]) }),
  z.object({ kind: z.literal("engaged"), days: z.number().int().min(1).max(365) }),
  z.object({ kind: z.literal("rfm"), segment: z.enum(RFM_SEGMENTS) }),
  /** Any Shopify customer segment (gid://shopify/Segment/<n>); its members are read from Shopify at reach and fan-out. */
  z.object({ kind: z.literal("segment"), id: SegmentIdSchema, name: z.string().trim().min(1).max(255) }),
]);
export type Audience = z.infer<typeof AudienceSchema>;

const STAGE_LABELS: Record<Stage, string> = {
  awareness: "Stage: awareness",
  consideration: "Stage: consideration",
  conversion: "Stage: conversion",
  loyalty: "Stage: loyalty",
};

/** The picker's options: its value encodes the audience ("stage:loyalty", "engaged", "rfm:lapsed"). */
export const AUDIENCE_OPTIONS: { label: string; value: string }[] = [
  { label: "All SMS subscribers", value: "subscribers" },
  ...STAGES.map((stage) => ({ label: STAGE_LABELS[stage], value: `stage:${stage}` })),
  { label: "Engaged recently (clicked or ordered)", value: "engaged" },
  ...RFM_SEGMENTS.map((segment) => ({ label: RFM_LABELS[segment], value: `rfm:${segment}` })),
];

/** The picker's option for a Shopify segment, listed beside Nudge's own audiences. */
export function segmentOption(segment: { id: string; name: string }): { label: string; value: string } {
  return { label: `Shopify segment: ${segment.name}`, value: `segment:${segment.id}` };
}

/**
 * The picker's value (and the engaged window, in days; a Shopify segment's name) as an
 * audience, or null when it isn't one. The value is "kind:detail"; a segment's detail is its
 * gid, which has colons of its own.
 */
export function audienceFromPicker(value: string, engagedDays: number, segmentName = "Shopify segment"): Audience | null {
  const colon = value.indexOf(":");
  const kind = colon < 0 ? value : value.slice(0, colon);
  const detail = colon < 0 ? undefined : value.slice(colon + 1);
  const parsed = AudienceSchema.safeParse(
    kind === "stage"
      ? { kind, stage: detail }
      : kind === "rfm"
        ? { kind, segment: detail }
        : kind === "segment"
          ? { kind, id: detail, name: segmentName }
          : kind === "engaged"
            ? { kind, days: engagedDays }
            : { kind },
  );
  return parsed.success ? parsed.data : null;
}

export function audiencePickerValue(audience: Audience): string {
  if (audience.kind === "stage") return `stage:${audience.stage}`;
  if (audience.kind === "rfm") return `rfm:${audience.segment}`;
  if (audience.kind === "segment") return `segment:${audience.id}`;
  return audience.kind;
}

export function describeAudience(audience: Audience): string {
  if (audience.kind === "engaged") return `Engaged in the last ${audience.days} days (clicked or ordered)`;
  if (audience.kind === "segment") return segmentOption(audience).label;
  return AUDIENCE_OPTIONS.find((o) => o.value === audiencePickerValue(audience))!.label;
}

/**
 * The SQL condition on `shopper s` (of the shop in $1) that picks the audience, before consent.
 * Values go through `param`, which appends them to the statement's parameters. Everything is
 * scoped by the shop: the subqueries read the shop's own orders and links by their indexes.
 * A Shopify segment's members (read from Shopify beforehand) are staged as two array
 * parameters and matched set-wise, by customer id or normalised phone.
 */
export function audienceCondition(audience: Audience, now: Date, rfm: RfmThresholds, param: (value: unknown) => string, members?: SegmentMembers): string {
  switch (audience.kind) {
    case "subscribers":
      // Anyone who ever subscribed: the consent filter then leaves out who opted out or hasn't confirmed.
      return "s.consent IN ('granted', 'pending', 'revoked')";
    case "stage":
      return `s.stage = ${param(audience.stage)}`;
    case "engaged": {
      const since = `${param(new Date(now.getTime() - audience.days * 86_400_000))}::timestamptz`;
      return `(EXISTS (SELECT 1 FROM short_link l WHERE l.shop = $1 AND l.shopper_id = s.id AND l.last_clicked_at >= ${since})
               OR EXISTS (SELECT 1 FROM "order" o WHERE o.shop = $1 AND o.shopper_id = s.id AND o.placed_at >= ${since}))`;
    }
    case "rfm":
      return `s.id IN (SELECT o.shopper_id FROM "order" o WHERE o.shop = $1 AND o.shopper_id IS NOT NULL
                       GROUP BY o.shopper_id HAVING ${rfmHaving(audience.segment, rfm, now, param)})`;
    case "segment": {
      if (!members) throw new Error("a Shopify segment's audience needs its members, read from Shopify first");
      return `(s.customer_id = ANY(${param(members.customerIds)}::text[]) OR s.phone = ANY(${param(members.phones.filter((p) => p !== null))}::text[]))`;
    }
  }
}

/** A parameter list that starts with the given values and hands out placeholders for more. */
export function sqlParams(...initial: unknown[]): { params: unknown[]; param: (value: unknown) => string } {
  const params = [...initial];
  return { params, param: (value) => `$${params.push(value)}` };
}

/**
 * Who can be texted: recorded consent (the shopper column kept by the journey runner from the
 * consent log) and a phone. The dispatcher checks the consent log again before each text.
 */
export const SENDABLE = "s.consent = 'granted' AND s.phone IS NOT NULL";
