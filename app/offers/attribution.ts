import { z } from "zod";

export const AttributionSettingsSchema = z.object({
  /** An order within this many days after a click on a text's link is credited to that text. */
  clickWindowDays: z.number().int().min(1).max(30).default(5),
  /** Credit an order within this many hours of a delivered text even without a click (off: null). */
  viewWindowHours: z.number().int().min(1).max(168).nullable().default(null),
});
export type AttributionSettings = z.infer<typeof AttributionSettingsSchema>;

type AttributionRule = "code" | "click" | "view";

export interface Touch {
  messageId: string;
  flow: string;
  checkoutToken: string | null;
  rule: AttributionRule;
  at: Date;
}

/**
 * Last touch wins: of the texts that could have led to the order (its code was used, a link
 * in it was clicked within the click window, or it was delivered within the view window),
 * the most recent touch gets the credit. Touches after the order don't count. Pure.
 */
export function pickLastTouch(touches: readonly Touch[], placedAt: Date): Touch | null {
  let best: Touch | null = null;
  for (const touch of touches) {
    if (touch.at.getTime() > placedAt.getTime()) continue;
    if (!best || touch.at.getTime() > best.at.getTime()) best = touch;
  }
  return best;
}

/** An order is "recovered" when the credited text was a cart-recovery text. */
export function isRecovered(touch: Touch): boolean {
  return touch.flow === "cart_recovery";
}
