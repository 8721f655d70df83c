import { z } from "zod";
import { initialState } from "./state";
import type { JourneyState } from "./types";

const Millis = z.number().int();
const Source = z.enum(["popup", "checkout", "shopify", "sms", "manual", "carrier"]);

const JourneyStateSchema = z.object({
  phoneRegion: z.string().nullable(),
  consentLog: z.array(z.object({ at: Millis, kind: z.enum(["in", "out"]), source: Source })),
  checkouts: z.record(z.string(), z.object({ cartToken: z.string().nullable(), startedAt: Millis, lastActivityAt: Millis, completedAt: Millis.nullable() })),
  orders: z.record(z.string(), z.object({ at: Millis, checkoutToken: z.string().nullable(), cartToken: z.string().nullable(), imported: z.literal(true).optional() })),
  // States stored before issue #18 have neither; they read as empty.
  views: z.record(z.string(), z.object({ title: z.string(), variantId: z.string().nullable(), viewedAt: z.array(Millis) })).default({}),
  carts: z
    .record(
      z.string(),
      z.object({
        lines: z.record(z.string(), z.object({ productId: z.string(), title: z.string(), quantity: z.number().int().min(1), addedAt: Millis })),
        firstAddedAt: Millis,
        lastAddedAt: Millis,
      }),
    )
    .default({}),
  orderCount: z.number().int().min(0),
  lastMessageAt: Millis.nullable(),
  lastDeliveredAt: Millis.nullable(),
  lastClickAt: Millis.nullable(),
}) satisfies z.ZodType<JourneyState>;

/** A stored state, or a fresh one when the row is new ({}) . Throws on a corrupt state. */
export function readJourneyState(stored: unknown, phoneRegion: string | null): JourneyState {
  if (stored === null || (typeof stored === "object" && Object.keys(stored).length === 0)) return initialState(phoneRegion);
  return { ...JourneyStateSchema.parse(stored), phoneRegion };
}
