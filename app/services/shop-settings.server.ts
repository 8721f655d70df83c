import type { SqlDriver } from "../db/sql-driver.server";
import { editShopSettings } from "./shops.server";
import { z } from "zod";
import { SignupKeywordSchema } from "../messaging/signup-keyword";

const blankToUndefined = (v: unknown) => (v === undefined || v === null || String(v).trim() === "" ? undefined : v);

const Hour = z.coerce.number().int().min(0).max(24);

// What a shopper can act on from a text: an email address, a phone number or a web address.
const SUPPORT_CONTACT = [/^[^\s@]+@[^\s@]+\.[^\s@]+$/, /^\+?[\d\s().-]{7,20}$/, /^(https?:\/\/)?[\w-]+(\.[\w-]+)+(\/\S*)?$/];

/** The settings form: every field parsed and bounded, errors keyed by field for inline display. */
export const SettingsFormSchema = z
  .object({
    brandName: z.string().trim().max(60, "Keep the brand name under 60 characters"),
    supportContact: z
      .string()
      .trim()
      .max(100, "Keep the support contact under 100 characters")
      .refine((v) => v === "" || SUPPORT_CONTACT.some((pattern) => pattern.test(v)), "Enter an email address, a phone number or a web address")
      .default(""),
    startHour: Hour,
    endHour: Hour,
    // Up to 50: the law's own caps (3 per 24 h in FL, OK, MD) apply at send time whatever these say.
    capPer8h: z.coerce.number().int().min(1, "At least 1").max(50, "At most 50"),
    capPer24h: z.coerce.number().int().min(1, "At least 1").max(50, "At most 50"),
    ratePerSecond: z.coerce.number().min(0.1).max(1000),
    segmentPrice: z.coerce.number().min(0).max(1),
    clickWindowDays: z.coerce.number().int().min(1).max(30),
    // View-through crediting (docs/decisions/005): blank or 0 turns it off, as it is by default.
    viewWindowHours: z.preprocess(
      (v) => (v === undefined || v === null || String(v).trim() === "" || String(v).trim() === "0" ? null : v),
      z.coerce.number().int("Whole hours only").min(1, "At least 1 hour").max(168, "At most 168 hours (7 days)").nullable(),
    ),
    // Absent from a post: the stored value stays. The keyword's uniqueness on a shared sender is
    // checked against the other shops at save (signupKeywordTaken).
    signupKeyword: z.preprocess(blankToUndefined, SignupKeywordSchema.optional()),
    conversationPauseHours: z.preprocess(blankToUndefined, z.coerce.number().int("Whole hours only").min(0, "0 turns the pause off").max(168, "At most 168 hours (7 days)").optional()),
    doubleOptIn: z.preprocess((v) => v === "on" || v === "true", z.boolean()),
    // When Shopify can't make a code: send the flow's no-discount wording instead of waiting (docs/decisions/004).
    sendWithoutDiscount: z.preprocess((v) => v === "on" || v === "true", z.boolean()),
  })
  .refine((f) => f.startHour < f.endHour, { message: "Texts must start before they stop", path: ["endHour"] })
  .refine((f) => f.capPer8h <= f.capPer24h, { message: "The 24-hour cap can't be lower than the 8-hour one", path: ["capPer24h"] });
export type SettingsForm = z.infer<typeof SettingsFormSchema>;

/** Merges the form into shop.settings without touching what the form doesn't cover. */
export async function saveShopSettings(sql: SqlDriver, shop: string, form: SettingsForm): Promise<void> {
  await editShopSettings(sql, shop, (stored) => {
    const current = stored as Record<string, Record<string, unknown> | undefined>;
    // Only the keys this form owns are written (issue #17, item 4).
    const merge = {
      journey: { ...current.journey, doubleOptIn: form.doubleOptIn },
      sending: {
        ...current.sending,
        brandName: form.brandName,
        supportContact: form.supportContact,
        window: { startHour: form.startHour, endHour: form.endHour },
        caps: [
          { windowHours: 8, max: form.capPer8h },
          { windowHours: 24, max: form.capPer24h },
        ],
        ratePerSecond: form.ratePerSecond,
        segmentPrice: form.segmentPrice,
        sendWithoutDiscount: form.sendWithoutDiscount,
        ...(form.signupKeyword !== undefined ? { signupKeyword: form.signupKeyword } : {}),
        ...(form.conversationPauseHours !== undefined ? { conversationPauseHours: form.conversationPauseHours } : {}),
      },
      attribution: { ...current.attribution, clickWindowDays: form.clickWindowDays, viewWindowHours: form.viewWindowHours },
    };
    return { merge, result: undefined };
  });
}
