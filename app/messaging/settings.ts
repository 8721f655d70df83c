import { z } from "zod";
import type { Flow } from "../journey";
import { DEFAULT_CAPS } from "./frequency-cap";
import { DEFAULT_WINDOW } from "./quiet-hours";
import { DEFAULT_SIGNUP_KEYWORD, SignupKeywordSchema } from "./signup-keyword";

const Hour = z.number().int().min(0).max(24);
// The flows whose texts a merchant can edit (app/flows/catalog.ts lists them for the admin).
const EditableFlow = z.enum(["welcome", "browse_abandonment", "cart_abandonment", "cart_recovery", "post_purchase", "win_back"]);

export const SendingSettingsSchema = z.object({
  /** The brand every text names; the shop's name when empty. */
  brandName: z.string().max(60).default(""),
  /** Where HELP replies send shoppers (email, phone or web address); the shop's contact email when empty. */
  supportContact: z.string().max(100).default(""),
  window: z
    .object({ startHour: Hour.default(DEFAULT_WINDOW.startHour), endHour: Hour.default(DEFAULT_WINDOW.endHour) })
    .refine((w) => w.startHour < w.endHour, "the window must start before it ends")
    .prefault({}),
  caps: z
    .array(
      z.object({
        windowHours: z
          .number()
          .int()
          .min(1)
          .max(24 * 7),
        max: z.number().int().min(1).max(50),
      }),
    )
    .max(5)
    .default(DEFAULT_CAPS),
  optOutInEveryMarketingText: z.boolean().default(true),
  /** When Shopify can't make a code, send the flow's no-discount text instead of waiting. */
  sendWithoutDiscount: z.boolean().default(false),
  /** Per-flow template overrides. */
  templates: z.partialRecord(EditableFlow, z.string().min(1).max(1000)).default({}),
  /** A/B tests: two to four template variants for a flow, split evenly and stably by shopper. */
  variants: z.partialRecord(EditableFlow, z.array(z.string().min(1).max(1000)).min(2).max(4)).default({}),
  /** When each flow's current set of A/B texts was saved: its scoreboard counts sends from then on. */
  variantsSince: z.partialRecord(EditableFlow, z.string().datetime()).default({}),
  /** What one SMS segment costs the merchant, for the cost estimate (Twilio US list price). */
  segmentPrice: z.number().min(0).max(1).default(0.0083),
  /**
   * Hours a shopper's texted question pauses their automated texts, so a flow doesn't talk over
   * the merchant's conversation (issue #21, item 2); 0 turns the pause off.
   */
  conversationPauseHours: z.number().int().min(0).max(168).default(24),
  /** The word a shopper texts to the shop's number to subscribe ("Text JOIN to …"; issue #21, item 3). */
  signupKeyword: SignupKeywordSchema.default(DEFAULT_SIGNUP_KEYWORD),
  /** Texts per second per sender (10DLC: 12–225 by brand score; toll-free: 3). */
  ratePerSecond: z.number().min(0.1).max(1000).default(10),
});
export type SendingSettings = z.infer<typeof SendingSettingsSchema>;
export type TemplateOverrides = Partial<Record<Flow, string>>;

/** A flow's A/B variants, if it runs a test (flows the merchant can't edit never do). */
export function flowVariants(sending: SendingSettings, flow: Flow): string[] | undefined {
  return (sending.variants as Partial<Record<Flow, string[]>>)[flow];
}

export const DEFAULT_SENDING_SETTINGS: SendingSettings = SendingSettingsSchema.parse({});
