import { z } from "zod";
import type { JourneySettings } from "./types";

/** A whole number of minutes, hours or days, within bounds. */
const count = (min: number, max: number) => z.number().int().min(min).max(max);
const Percent = z.number().min(1).max(100).nullable();
const Step = z.object({
  delayMinutes: count(1, 60 * 24 * 7),
  discountPercent: Percent,
});

// Defaults: the carrier-safe single cart text at ~20 minutes (CTIA guidance as enforced by
// Postscript, Attentive and Yotpo), discounts 15% welcome / 10% cart / 20% next order.
const Holdout = z.number().min(0).max(50);

function storefrontFlow(defaults: { enabled: boolean; delayMinutes: number; discountPercent: number | null }) {
  return z
    .object({
      enabled: z.boolean().default(defaults.enabled),
      delayMinutes: count(1, 60 * 24 * 7).default(defaults.delayMinutes),
      discountPercent: Percent.default(defaults.discountPercent),
      windowHours: count(1, 24 * 7).default(24),
      discountExpiryHours: count(1, 24 * 30).default(48),
    })
    .prefault({});
}

export const JourneySettingsSchema = z.object({
  // Control groups measure what the texts really add; 10% of cart recovery by default.
  holdoutPercent: z
    .object({
      welcome: Holdout.default(0),
      browse_abandonment: Holdout.default(10),
      cart_abandonment: Holdout.default(10),
      cart_recovery: Holdout.default(10),
      post_purchase: Holdout.default(0),
      win_back: Holdout.default(0),
    })
    .prefault({}),
  welcome: z
    .object({
      enabled: z.boolean().default(true),
      delayMinutes: count(0, 60 * 24).default(0),
      discountPercent: Percent.default(15),
      discountExpiryHours: count(1, 24 * 90).default(24 * 7),
    })
    .prefault({}),
  // Storefront abandonment (issue #18): a cart text an hour after the last add, and a browse
  // text two hours after a second view, off by default (browsing is the weakest signal).
  browseAbandonment: storefrontFlow({ enabled: false, delayMinutes: 120, discountPercent: null }),
  cartAbandonment: storefrontFlow({ enabled: true, delayMinutes: 60, discountPercent: 10 }),
  cartRecovery: z
    .object({
      enabled: z.boolean().default(true),
      steps: z
        .array(Step)
        .min(1)
        .max(3)
        .default([
          { delayMinutes: 20, discountPercent: 10 },
          { delayMinutes: 24 * 60, discountPercent: 10 },
          { delayMinutes: 48 * 60, discountPercent: 10 },
        ]),
      windowHours: count(1, 24 * 7).default(48),
      discountExpiryHours: count(1, 24 * 30).default(48),
    })
    .prefault({}),
  postPurchase: z
    .object({
      enabled: z.boolean().default(true),
      delayMinutes: count(0, 60 * 24 * 30).default(24 * 60),
      discountPercent: Percent.default(20),
      discountExpiryHours: count(1, 24 * 90).default(24 * 30),
      // A week after the order: long enough for the parcel to arrive and be used (the usual
      // timing for a transactional NPS survey), and after the thank-you text.
      npsQuestion: z.object({ enabled: z.boolean().default(true), afterDays: count(1, 60).default(7) }).prefault({}),
    })
    .prefault({}),
  winBack: z
    .object({
      enabled: z.boolean().default(true),
      afterDays: count(7, 730).default(60),
      discountPercent: Percent.default(15),
      discountExpiryHours: count(1, 24 * 90).default(24 * 14),
    })
    .prefault({}),
  maxLateHours: count(1, 24 * 30).default(72),
  doubleOptIn: z.boolean().default(false),
}) satisfies z.ZodType<JourneySettings, unknown>;

export const DEFAULT_JOURNEY_SETTINGS: JourneySettings = JourneySettingsSchema.parse({});

/** Every flow off: what we fall back to when stored settings can't be read. */
const ALL_FLOWS_OFF: JourneySettings = {
  ...DEFAULT_JOURNEY_SETTINGS,
  welcome: { ...DEFAULT_JOURNEY_SETTINGS.welcome, enabled: false },
  browseAbandonment: { ...DEFAULT_JOURNEY_SETTINGS.browseAbandonment, enabled: false },
  cartAbandonment: { ...DEFAULT_JOURNEY_SETTINGS.cartAbandonment, enabled: false },
  cartRecovery: { ...DEFAULT_JOURNEY_SETTINGS.cartRecovery, enabled: false },
  postPurchase: { ...DEFAULT_JOURNEY_SETTINGS.postPurchase, enabled: false },
  winBack: { ...DEFAULT_JOURNEY_SETTINGS.winBack, enabled: false },
};

/**
 * Settings as stored (possibly partial or from an older version), with defaults filled in.
 * Unreadable settings turn every flow off rather than guess: a flow the merchant disabled
 * must not come back on by accident.
 */
export function readJourneySettings(stored: unknown): { settings: JourneySettings; problems: string[] } {
  const result = JourneySettingsSchema.safeParse(stored ?? {});
  if (result.success) return { settings: result.data, problems: [] };
  return { settings: ALL_FLOWS_OFF, problems: result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) };
}
