import { z } from "zod";
import type { SqlDriver } from "../db/sql-driver.server";
import { feedStorefrontEvents } from "../services/storefront-journey.server";
import { DEMO_SHOP } from "./session-token.server";

const Millis = z.number().int().nonnegative();
const Id = z.string().min(1).max(200);

/** What the demo's store simulator reports a shopper did on the storefront. */
export const DemoStorefrontEventsSchema = z.object({
  phone: z.string().regex(/^\+[1-9]\d{6,14}$/),
  events: z
    .array(
      z.discriminatedUnion("type", [
        z.object({ type: z.literal("product_viewed"), at: Millis, productId: Id, variantId: Id.nullable(), productTitle: z.string().min(1).max(255) }),
        z.object({
          type: z.literal("cart_item_added"),
          at: Millis,
          productId: Id,
          variantId: Id,
          productTitle: z.string().min(1).max(255),
          quantity: z.number().int().min(1).max(100),
          cartToken: Id.nullable(),
        }),
      ]),
    )
    .min(1)
    .max(20),
});
export type DemoStorefrontEvents = z.infer<typeof DemoStorefrontEventsSchema>;

/**
 * The demo's stand-in for the web pixel's collector (POST /pixel/events, issue #13): the
 * simulator names the demo shopper by phone, and their events go through the same journey
 * call the collector makes for a known shopper. False when no such shopper exists.
 */
export async function recordDemoStorefrontEvents(sql: SqlDriver, input: DemoStorefrontEvents, now: Date): Promise<boolean> {
  const [shopper] = await sql.query<{ id: string }>("SELECT id FROM shopper WHERE shop = $1 AND phone = $2", [DEMO_SHOP, input.phone]);
  if (!shopper) return false;
  return (await feedStorefrontEvents(sql, { shop: DEMO_SHOP, shopperId: shopper.id, events: input.events, now })) !== null;
}
