import { z } from "zod";
import type { JourneySettings } from "./types";

const Percent = z.number().min(1).max(100).nullable();
const Step = z.object({
  delayMinutes: z.number().int().min(1).max(60 * 24 * 7),
  discountPercent: Percent,
});

// Defaults: the carrier-safe single cart text at ~20 minutes (CTIA guidance as enforced by
// Postscript, Attentive and Yotpo), discounts 15% welcome / 10% cart / 20% next order.
export const JourneySettingsSchema = z.object({
  welcome: z
    .object({
      enabled: z.boolean().default(true),
      delayMinutes: z.number().int().min(0).max(60 * 24).default(0),
      discountPercent: Percent.default(15),
      discountExpiryHours: z.number().int().min(1).max(24 * 90).default(24 * 7),
    })
    .prefault({}),
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
      windowHours: z.number().int().min(1).max(24 * 7).default(48),
      discountExpiryHours: z.number().int().min(1).max(24 * 30).default(48),
    })
    .prefault({}),
  postPurchase: z
    .object({
      enabled: z.boolean().default(true),
      delayMinutes: z.number().int().min(0).max(60 * 24 * 30).default(24 * 60),
      discountPercent: Percent.default(20),
      discountExpiryHours: z.number().int().min(1).max(24 * 90).default(24 * 30),
    })
    .prefault({}),
  winBack: z
    .object({
      enabled: z.boolean().default(true),
      afterDays: z.number().int().min(7).max(730).default(60),
      discountPercent: Percent.default(15),
      discountExpiryHours: z.number().int().min(1).max(24 * 90).default(24 * 14),
    })
    .prefault({}),
  maxLateHours: z.number().int().min(1).max(24 * 30).default(72),
}) satisfies z.ZodType<JourneySettings, unknown>;

export const DEFAULT_JOURNEY_SETTINGS: JourneySettings = JourneySettingsSchema.parse({});

/** Settings as stored (possibly partial or from an older version), with defaults filled in. */
export function readJourneySettings(stored: unknown): JourneySettings {
  const result = JourneySettingsSchema.safeParse(stored ?? {});
  return result.success ? result.data : DEFAULT_JOURNEY_SETTINGS;
}
