import { z } from "zod";
import { AudienceSchema } from "./audience";
import { previewCampaignText } from "./compose-campaign";

/** What the composer posts (as JSON in one form field), parsed at the edge. */
export const CampaignDraftSchema = z.object({
  name: z.string().trim().min(1, "Name the campaign").max(100),
  message: z.string().max(1000),
  audience: AudienceSchema,
  discountPercent: z.number().int().min(1).max(100).nullable().default(null),
  discountExpiryHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(72),
  link: z.string().trim().url().max(500).nullable().default(null),
  /** Smart sending: skip anyone texted in the last N hours; at most 72, the dispatcher's history window. */
  smartSendingHours: z.number().int().min(0).max(72).default(16),
  /** The campaign's control group, like the flows' (0–50 %). */
  controlPercent: z.number().int().min(0).max(50).default(10),
  /** When a scheduled campaign goes out (ISO 8601); ignored by Send now. */
  sendAt: z.string().datetime({ offset: true }).nullable().default(null),
  /**
   * Instead of sendAt: this wall-clock date and time ("2026-12-10T10:00") in each recipient's
   * own zone (a scheduled campaign only).
   */
  localSendAt: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d$/, "Choose a date and time")
    .nullable()
    .default(null),
});
export type CampaignDraft = z.infer<typeof CampaignDraftSchema>;

export type CampaignErrors = Partial<Record<"name" | "message" | "link" | "sendAt" | "audience" | "form", string>>;

const HOUR = 3_600_000;

/**
 * A local-time campaign's window: wall-clock `localSendAt` happens first where clocks are
 * furthest ahead (UTC+14, Kiritimati) and last where they are furthest behind (UTC−12). The
 * campaign is fanned out at the first instant; each recipient's text is then due at that
 * wall-clock time in their own zone (fan-out.server.ts).
 */
export function localSendWindow(localSendAt: string): { first: Date; last: Date; time: string } {
  const wall = new Date(`${localSendAt}:00Z`).getTime();
  return { first: new Date(wall - 14 * HOUR), last: new Date(wall + 12 * HOUR), time: localSendAt.slice(11, 16) };
}

/** The draft's problems the merchant can fix, by field (the schema's own checks happen at parse). */
export function validateCampaignDraft(draft: CampaignDraft, brandName: string): CampaignErrors {
  const errors: CampaignErrors = {};
  const check = previewCampaignText(draft.message, brandName, draft.discountPercent);
  if (check.errors.length > 0) errors.message = check.errors.join(". ");
  if (draft.link && !/^https?:\/\//i.test(draft.link)) errors.link = "Use a web address starting with https://";
  return errors;
}
