import type { FlowDraft } from "./flow-draft";

export type DelayUnit = "minutes" | "hours" | "days";
const UNIT_MINUTES: Record<DelayUnit, number> = { minutes: 1, hours: 60, days: 24 * 60 };

/** A step as the editor's inputs hold it: text the merchant is typing, not yet numbers. */
export interface StepInput {
  amount: string;
  unit: DelayUnit;
  discount: string;
}

export interface EditorState extends Omit<FlowDraft, "steps" | "holdoutPercent" | "discountExpiryHours" | "windowHours"> {
  steps: StepInput[];
  holdoutPercent: string;
  discountExpiryHours: string;
  windowHours: string;
}

export function toEditorState(draft: FlowDraft): EditorState {
  return {
    ...draft,
    steps: draft.steps.map((s) => ({ ...splitDelay(s.delayMinutes), discount: s.discountPercent === null ? "" : String(s.discountPercent) })),
    holdoutPercent: String(draft.holdoutPercent),
    discountExpiryHours: String(draft.discountExpiryHours),
    windowHours: draft.windowHours === null ? "" : String(draft.windowHours),
  };
}

/** The draft the inputs describe; blanks and non-numbers become NaN, which validation names. */
export function fromEditorState(state: EditorState, hasWindow: boolean): FlowDraft {
  return {
    ...state,
    steps: state.steps.map((s) => ({
      delayMinutes: toNumber(s.amount) * UNIT_MINUTES[s.unit],
      discountPercent: s.discount.trim() === "" || s.discount.trim() === "0" ? null : toNumber(s.discount),
    })),
    holdoutPercent: toNumber(state.holdoutPercent),
    discountExpiryHours: toNumber(state.discountExpiryHours),
    windowHours: hasWindow ? toNumber(state.windowHours) : null,
  };
}

/** The largest unit that divides the delay evenly: 1440 → 1 day, 90 → 90 minutes. */
export function splitDelay(minutes: number): { amount: string; unit: DelayUnit } {
  if (minutes > 0 && minutes % UNIT_MINUTES.days === 0) return { amount: String(minutes / UNIT_MINUTES.days), unit: "days" };
  if (minutes > 0 && minutes % UNIT_MINUTES.hours === 0) return { amount: String(minutes / UNIT_MINUTES.hours), unit: "hours" };
  return { amount: String(minutes), unit: "minutes" };
}

function toNumber(text: string): number {
  return text.trim() === "" ? Number.NaN : Number(text);
}
