import type { SqlTx } from "../db/sql-driver.server";
import { combineWrites, type Statement } from "../db/sql-values";
import type { JourneyEvent } from "../journey";
import { runJourney } from "../services/journey-runner.server";
import { upsertShopper } from "../services/shoppers.server";
import type { IngestContext } from "./ingest.server";
import type { CheckoutPayload } from "./payloads";
import { checkoutToJourney } from "./to-journey";

/** A checkout payload with its shopper's identity and journey events, mapped once per webhook. */
export interface MappedCheckout {
  checkout: CheckoutPayload;
  journey: ReturnType<typeof checkoutToJourney>;
}

export const mapCheckout = (checkout: CheckoutPayload): MappedCheckout => ({ checkout, journey: checkoutToJourney(checkout) });

export async function handleCheckout(tx: SqlTx, ctx: IngestContext, { checkout, journey }: MappedCheckout): Promise<string> {
  const { identity, events } = journey;
  const shopper = await upsertShopper(tx, ctx.shop, identity, { identityLocked: ctx.identityLocked });
  const storeCheckout = checkoutUpsert(ctx.shop, checkout, shopper?.id ?? null);
  if (!shopper) {
    await tx.query(storeCheckout.sql, storeCheckout.params);
    return "stored_without_shopper";
  }

  // An order that arrived before this checkout: feed it too, so the engine sees the purchase,
  // and give it the shopper it could not find on its own. Stored in the same round trip as the
  // checkout (another table, and it doesn't read the checkout row).
  const claimOrders = combineWrites([
    storeCheckout,
    {
      sql: `UPDATE "order" SET shopper_id = COALESCE(shopper_id, $4)
            WHERE shop = $1 AND (checkout_token = $2 OR cart_token = $3)
            RETURNING shopify_order_id, placed_at, checkout_token, cart_token`,
      params: [ctx.shop, checkout.token, checkout.cart_token ?? null, shopper.id],
    },
  ]);
  const earlierOrders = await tx.query<{ shopify_order_id: string; placed_at: Date; checkout_token: string | null; cart_token: string | null }>(claimOrders.sql, claimOrders.params);
  // Its orders came first: the checkout is as completed as if it had been there when they came.
  if (earlierOrders.length > 0) {
    const firstPlaced = new Date(Math.min(...earlierOrders.map((o) => new Date(o.placed_at).getTime())));
    await tx.query(`UPDATE checkout SET completed_at = LEAST(completed_at, $3), updated_at = now() WHERE shop = $1 AND token = $2`, [ctx.shop, checkout.token, firstPlaced]);
  }
  const orderEvents: JourneyEvent[] = earlierOrders.map((o) => ({
    type: "order_created",
    at: new Date(o.placed_at).getTime(),
    orderId: o.shopify_order_id,
    checkoutToken: o.checkout_token,
    cartToken: o.cart_token,
  }));

  const result = await runJourney(tx, {
    shop: ctx.shop,
    shopper,
    events: [...orderEvents, ...events],
    now: ctx.now,
    settings: ctx.settings.journey,
    webhookId: ctx.webhookId,
  });
  return `journey:${result.stage}`;
}

/** Keeps the newest content of a checkout, whatever order its webhooks arrive in. */
function checkoutUpsert(shop: string, c: CheckoutPayload, shopperId: string | null): Statement {
  const lineItems = c.line_items.map((item) => ({
    title: item.title,
    variantTitle: item.variant_title ?? null,
    quantity: item.quantity,
    price: item.price,
  }));
  const newer = "EXCLUDED.last_activity_at >= k.last_activity_at";
  const newest = (column: string) => `${column} = CASE WHEN ${newer} THEN EXCLUDED.${column} ELSE k.${column} END`;
  return {
    sql: `INSERT INTO checkout AS k (shop, token, cart_token, shopper_id, email, phone, abandoned_checkout_url, total_price, currency,
                                presentment_currency, line_items, started_at, last_activity_at, completed_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::numeric, $9, $10, $11::jsonb, $12, $13, $14, now())
     ON CONFLICT (shop, token) DO UPDATE SET
       shopper_id = COALESCE(k.shopper_id, EXCLUDED.shopper_id),
       cart_token = COALESCE(k.cart_token, EXCLUDED.cart_token),
       started_at = LEAST(k.started_at, EXCLUDED.started_at),
       completed_at = LEAST(k.completed_at, EXCLUDED.completed_at),
       last_activity_at = GREATEST(k.last_activity_at, EXCLUDED.last_activity_at),
       ${["email", "phone", "abandoned_checkout_url", "total_price", "currency", "presentment_currency", "line_items"].map(newest).join(",\n       ")},
       updated_at = now()`,
    params: [
      shop,
      c.token,
      c.cart_token ?? null,
      shopperId,
      c.email ?? null,
      c.phone ?? null,
      c.abandoned_checkout_url ?? null,
      c.total_price ?? null,
      c.currency ?? null,
      c.presentment_currency ?? null,
      JSON.stringify(lineItems),
      c.created_at,
      c.updated_at,
      c.completed_at ?? null,
    ],
  };
}
