import { z } from "zod";

/**
 * RFM segments, computed from the shop's orders (recency of the last order, frequency = how
 * many): every shopper with at least one order falls in exactly one. With R = days since the
 * last order and F = orders:
 *   - new:     F = 1 and R <= newWithinDays
 *   - loyal:   R <= activeWithinDays and F >= loyalMinOrders
 *   - active:  R <= activeWithinDays, neither new nor loyal
 *   - at risk: activeWithinDays < R <= lapsedAfterDays
 *   - lapsed:  R > lapsedAfterDays
 * The thresholds are the merchant's to change (shop.settings.campaigns.rfm); the defaults
 * follow the common 30/90/180-day recency bands. See docs/decisions/021-campaigns.md.
 */
export const RFM_SEGMENTS = ["new", "active", "loyal", "at_risk", "lapsed"] as const;
export type RfmSegment = (typeof RFM_SEGMENTS)[number];

export const RFM_LABELS: Record<RfmSegment, string> = {
  new: "New customers",
  active: "Active customers",
  loyal: "Loyal customers",
  at_risk: "At-risk customers",
  lapsed: "Lapsed customers",
};

export const RfmThresholdsSchema = z
  .object({
    newWithinDays: z.number().int().min(1).max(365).default(30),
    activeWithinDays: z.number().int().min(1).max(730).default(90),
    lapsedAfterDays: z.number().int().min(2).max(1095).default(180),
    loyalMinOrders: z.number().int().min(2).max(100).default(3),
  })
  .refine((t) => t.newWithinDays <= t.activeWithinDays, { message: "New must be within the active window", path: ["newWithinDays"] })
  .refine((t) => t.activeWithinDays < t.lapsedAfterDays, { message: "Lapsed must start after the active window ends", path: ["lapsedAfterDays"] });
export type RfmThresholds = z.infer<typeof RfmThresholdsSchema>;
const DEFAULT_RFM: RfmThresholds = RfmThresholdsSchema.parse({});

/** The stored thresholds, or the defaults when none are stored or they don't parse. */
export function readRfmThresholds(stored: unknown): RfmThresholds {
  const parsed = RfmThresholdsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : DEFAULT_RFM;
}

/** How each segment reads, with the shop's thresholds, for the audience picker. */
export function describeRfm(segment: RfmSegment, t: RfmThresholds): string {
  switch (segment) {
    case "new":
      return `First order in the last ${t.newWithinDays} days`;
    case "active":
      return `Ordered in the last ${t.activeWithinDays} days, fewer than ${t.loyalMinOrders} orders`;
    case "loyal":
      return `${t.loyalMinOrders}+ orders, the last in the last ${t.activeWithinDays} days`;
    case "at_risk":
      return `Last order ${t.activeWithinDays}–${t.lapsedAfterDays} days ago`;
    case "lapsed":
      return `Last order more than ${t.lapsedAfterDays} days ago`;
  }
}

/**
 * The HAVING condition over one shopper's orders (aggregated as `o`) that puts them in the
 * segment. `param` adds a value to the statement's parameters and returns its placeholder.
 */
export function rfmHaving(segment: RfmSegment, t: RfmThresholds, now: Date, param: (value: unknown) => string): string {
  // Placeholders are made only for what the segment uses: PostgreSQL can't type an unused one.
  const daysAgo = (days: number) => `${param(new Date(now.getTime() - days * 86_400_000))}::timestamptz`;
  const last = "max(o.placed_at)";
  const isNew = () => `(count(*) = 1 AND ${last} >= ${daysAgo(t.newWithinDays)})`;
  const recent = () => `${last} >= ${daysAgo(t.activeWithinDays)}`;
  const loyal = () => `count(*) >= ${param(t.loyalMinOrders)}::int`;
  switch (segment) {
    case "new":
      return isNew();
    case "loyal":
      return `${recent()} AND ${loyal()}`;
    case "active":
      return `${recent()} AND NOT ${loyal()} AND NOT ${isNew()}`;
    case "at_risk":
      return `${last} < ${daysAgo(t.activeWithinDays)} AND ${last} >= ${daysAgo(t.lapsedAfterDays)}`;
    case "lapsed":
      return `${last} < ${daysAgo(t.lapsedAfterDays)}`;
  }
}
