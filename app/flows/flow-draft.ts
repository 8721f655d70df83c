import { z } from "zod";
import { NANP_CART_WINDOW_HOURS } from "../journey/carrier-rule";
import type { JourneySettings } from "../journey/types";
import type { SendingSettings } from "../messaging/settings";
import { previewTemplate } from "../messaging/preview";
import { DEFAULT_TEMPLATES } from "../messaging/templates";
import { FLOW_LIST, hasWindow, type EditableFlow } from "./catalog";
import { fieldErrorsFrom } from "../lib/form-errors";

/**
 * One flow as the editor shows it: the switch, its texts (A and up to three A/B variants),
 * its control group, and its steps. Single-text flows have one step; win-back's delay counts
 * from the last order. Pure and shared by the editor page and the server that saves it.
 */
export interface FlowDraft {
  enabled: boolean;
  template: string;
  /** Variants B, C, D of the template; with any, the flow runs an even A/B split. */
  variants: string[];
  holdoutPercent: number;
  discountExpiryHours: number;
  steps: { delayMinutes: number; discountPercent: number | null }[];
  /** Abandonment flows only (browse, cart, checkout): no text later than this after the abandonment. */
  windowHours: number | null;
  /** Post-purchase only: whether the NPS question goes out as its own text (issue #17). */
  askNps?: boolean;
}

const MINUTES_PER_DAY = 24 * 60;

// Bounds per flow, in minutes. They match JourneySettingsSchema; win-back's 7–730 days.
const DELAY_BOUNDS: Record<EditableFlow, { min: number; max: number }> = {
  welcome: { min: 0, max: MINUTES_PER_DAY },
  browse_abandonment: { min: 1, max: 7 * MINUTES_PER_DAY },
  cart_abandonment: { min: 1, max: 7 * MINUTES_PER_DAY },
  cart_recovery: { min: 1, max: 7 * MINUTES_PER_DAY },
  post_purchase: { min: 0, max: 30 * MINUTES_PER_DAY },
  win_back: { min: 7 * MINUTES_PER_DAY, max: 730 * MINUTES_PER_DAY },
};
const EXPIRY_MAX_HOURS: Record<EditableFlow, number> = {
  welcome: 24 * 90,
  browse_abandonment: 24 * 30,
  cart_abandonment: 24 * 30,
  cart_recovery: 24 * 30,
  post_purchase: 24 * 90,
  win_back: 24 * 90,
};

const Num = (label: string) => z.number({ error: `Enter ${label}` }).refine(Number.isFinite, `Enter ${label}`);

export const FlowDraftSchema = z.object({
  enabled: z.boolean(),
  template: z.string().max(2000),
  variants: z.array(z.string().max(2000)).max(3),
  holdoutPercent: Num("a share").pipe(z.number().min(0, "Between 0 and 50%").max(50, "Between 0 and 50%")),
  discountExpiryHours: Num("hours").pipe(z.number().int("Whole hours").min(1, "At least an hour")),
  steps: z
    .array(
      z.object({
        delayMinutes: Num("a delay").pipe(z.number().int("Whole minutes")),
        discountPercent: Num("a percentage").pipe(z.number().int("Whole percent").min(1, "1–100%").max(100, "1–100%")).nullable(),
      }),
    )
    .min(1)
    .max(3, "Up to three texts"),
  windowHours: Num("hours")
    .pipe(
      z
        .number()
        .int("Whole hours")
        .min(1, "At least an hour")
        .max(24 * 7, "At most 7 days"),
    )
    .nullable(),
  askNps: z.boolean().optional(),
});

export type FieldErrors = Record<string, string>;

/** The draft for a flow from the shop's current settings. */
export function draftFromSettings(flow: EditableFlow, journey: JourneySettings, sending: SendingSettings): FlowDraft {
  const template = sending.templates[flow] ?? DEFAULT_TEMPLATES[flow];
  const variants = (sending.variants[flow] ?? []).slice(1);
  const base = { template, variants, holdoutPercent: journey.holdoutPercent[flow] };
  switch (flow) {
    case "cart_recovery": {
      const c = journey.cartRecovery;
      return { ...base, enabled: c.enabled, discountExpiryHours: c.discountExpiryHours, steps: c.steps.map((s) => ({ ...s })), windowHours: c.windowHours };
    }
    case "browse_abandonment":
    case "cart_abandonment": {
      const f = flow === "browse_abandonment" ? journey.browseAbandonment : journey.cartAbandonment;
      const steps = [{ delayMinutes: f.delayMinutes, discountPercent: f.discountPercent }];
      return { ...base, enabled: f.enabled, discountExpiryHours: f.discountExpiryHours, steps, windowHours: f.windowHours };
    }
    case "win_back": {
      const w = journey.winBack;
      const steps = [{ delayMinutes: w.afterDays * MINUTES_PER_DAY, discountPercent: w.discountPercent }];
      return { ...base, enabled: w.enabled, discountExpiryHours: w.discountExpiryHours, steps, windowHours: null };
    }
    case "post_purchase": {
      const p = journey.postPurchase;
      const steps = [{ delayMinutes: p.delayMinutes, discountPercent: p.discountPercent }];
      return { ...base, enabled: p.enabled, discountExpiryHours: p.discountExpiryHours, steps, windowHours: null, askNps: p.npsQuestion.enabled };
    }
    default: {
      const s = journey.welcome;
      const steps = [{ delayMinutes: s.delayMinutes, discountPercent: s.discountPercent }];
      return { ...base, enabled: s.enabled, discountExpiryHours: s.discountExpiryHours, steps, windowHours: null };
    }
  }
}

/**
 * Every problem with a draft, keyed by the field it belongs to ("steps.1.delayMinutes",
 * "template", "variants.0", …) so the editor can show each one next to its input.
 */
export function validateFlowDraft(flow: EditableFlow, draft: FlowDraft, brandName: string): FieldErrors {
  const parsed = FlowDraftSchema.safeParse(draft);
  if (!parsed.success) return fieldErrorsFrom(parsed.error);
  const errors: FieldErrors = {};
  if (flow !== "cart_recovery" && draft.steps.length !== 1) errors.steps = "This flow sends one text";

  const bounds = DELAY_BOUNDS[flow];
  draft.steps.forEach((step, index) => {
    const key = `steps.${index}.delayMinutes`;
    if (step.delayMinutes < bounds.min || step.delayMinutes > bounds.max) errors[key] = `Between ${formatDelay(bounds.min)} and ${formatDelay(bounds.max)}`;
    else if (index > 0 && step.delayMinutes <= draft.steps[index - 1]!.delayMinutes) errors[key] = "Each text must come after the one before";
    else if (hasWindow(flow) && draft.windowHours !== null && step.delayMinutes > draft.windowHours * 60) {
      errors[key] = `This is after the ${draft.windowHours}-hour window, so it would never be sent`;
    }
  });
  // US/CA numbers get only the first cart text, within 48 h (app/journey/carrier-rule.ts).
  if (hasWindow(flow) && !errors["steps.0.delayMinutes"] && draft.steps[0]!.delayMinutes > NANP_CART_WINDOW_HOURS * 60) {
    errors["steps.0.delayMinutes"] = "US and Canadian numbers may only get a reminder within 48 hours";
  }
  if (hasWindow(flow) && draft.windowHours === null) errors.windowHours = "Enter hours";
  if (draft.discountExpiryHours > EXPIRY_MAX_HOURS[flow]) errors.discountExpiryHours = `At most ${EXPIRY_MAX_HOURS[flow] / 24} days`;

  const discountPercent = draft.steps[0]!.discountPercent;
  const texts = [draft.template, ...draft.variants];
  texts.forEach((text, index) => {
    const key = index === 0 ? "template" : `variants.${index - 1}`;
    const check = previewTemplate(flow, text, brandName, discountPercent);
    if (check.errors.length > 0) errors[key] = check.errors.join(". ");
    else if (texts.slice(0, index).some((earlier) => earlier.trim() === text.trim())) errors[key] = "This variant is the same as an earlier one";
  });
  return errors;
}

/**
 * Writes a (valid) draft into the stored settings object, leaving everything else as it was.
 * A text equal to the default is stored as "no override", so later improvements reach the shop.
 */
export function applyFlowDraft(stored: Record<string, unknown>, flow: EditableFlow, draft: FlowDraft): Record<string, unknown> {
  const { settingsKey } = FLOW_LIST.find((f) => f.id === flow)!;
  const journey = { ...(stored.journey as Record<string, unknown> | undefined) };
  const sending = { ...(stored.sending as Record<string, unknown> | undefined) };
  const first = draft.steps[0]!;
  const common = { enabled: draft.enabled, discountExpiryHours: draft.discountExpiryHours };
  const current = (journey[settingsKey] as Record<string, unknown> | undefined) ?? {};
  if (flow === "cart_recovery") journey[settingsKey] = { ...current, ...common, steps: draft.steps, windowHours: draft.windowHours };
  else if (flow === "browse_abandonment" || flow === "cart_abandonment") {
    journey[settingsKey] = { ...current, ...common, delayMinutes: first.delayMinutes, discountPercent: first.discountPercent, windowHours: draft.windowHours };
  } else if (flow === "win_back") journey[settingsKey] = { ...current, ...common, afterDays: Math.round(first.delayMinutes / MINUTES_PER_DAY), discountPercent: first.discountPercent };
  else journey[settingsKey] = { ...current, ...common, delayMinutes: first.delayMinutes, discountPercent: first.discountPercent };
  if (flow === "post_purchase" && draft.askNps !== undefined) {
    const nps = (current.npsQuestion as Record<string, unknown> | undefined) ?? {};
    journey[settingsKey] = { ...(journey[settingsKey] as Record<string, unknown>), npsQuestion: { ...nps, enabled: draft.askNps } };
  }
  journey.holdoutPercent = { ...(journey.holdoutPercent as Record<string, number> | undefined), [flow]: draft.holdoutPercent };

  const template = draft.template.trim();
  const templates = { ...(sending.templates as Record<string, string> | undefined) };
  if (template === DEFAULT_TEMPLATES[flow]) delete templates[flow];
  else templates[flow] = template;
  const variants = { ...(sending.variants as Record<string, string[]> | undefined) };
  const extra = draft.variants.map((v) => v.trim()).filter(Boolean);
  if (extra.length > 0) variants[flow] = [template, ...extra];
  else delete variants[flow];
  return { ...stored, journey, sending: { ...sending, templates, variants } };
}

/** "20 minutes", "1 day", "2 days 4 hours". */
export function formatDelay(minutes: number): string {
  if (minutes === 0) return "right away";
  const days = Math.floor(minutes / MINUTES_PER_DAY);
  const hours = Math.floor((minutes % MINUTES_PER_DAY) / 60);
  const mins = minutes % 60;
  const part = (n: number, unit: string) => (n ? [`${n} ${unit}${n === 1 ? "" : "s"}`] : []);
  return [...part(days, "day"), ...part(hours, "hour"), ...part(mins, "minute")].join(" ");
}
