import type { Prisma } from "@prisma/client";
import type { JourneyEvent } from "../journey";
import { runJourney } from "../services/journey-runner.server";
import { resolveShopper } from "../services/shoppers.server";
import type { IngestContext } from "./ingest.server";
import type { CheckoutPayload } from "./payloads";
import { checkoutToJourney } from "./to-journey";

type Tx = Prisma.TransactionClient;

export async function handleCheckout(tx: Tx, ctx: IngestContext, checkout: CheckoutPayload): Promise<string> {
  const { identity, events } = checkoutToJourney(checkout);
  const shopper = await resolveShopper(tx, ctx.shop, identity);
  await upsertCheckout(tx, ctx.shop, checkout, shopper?.id ?? null);
  if (!shopper) return "stored_without_shopper";

  // An order that arrived before this checkout: feed it too, so the engine sees the purchase.
  const earlierOrders = await tx.order.findMany({
    where: {
      shop: ctx.shop,
      OR: [{ checkoutToken: checkout.token }, ...(checkout.cart_token ? [{ cartToken: checkout.cart_token }] : [])],
    },
    select: { id: true, shopifyOrderId: true, placedAt: true, checkoutToken: true, cartToken: true, shopperId: true },
  });
  const orderEvents: JourneyEvent[] = earlierOrders.map((o) => ({
    type: "order_created",
    at: o.placedAt.getTime(),
    orderId: o.shopifyOrderId,
    checkoutToken: o.checkoutToken,
    cartToken: o.cartToken,
  }));
  const unlinked = earlierOrders.filter((o) => o.shopperId === null).map((o) => o.id);
  if (unlinked.length > 0) await tx.order.updateMany({ where: { id: { in: unlinked } }, data: { shopperId: shopper.id } });

  const result = await runJourney(tx, {
    shop: ctx.shop,
    shopperId: shopper.id,
    phone: shopper.phone,
    phoneRegion: shopper.country,
    events: [...orderEvents, ...events],
    now: ctx.now,
    settings: ctx.settings.journey,
    consentEvidence: { webhookId: ctx.webhookId },
  });
  return `journey:${result.stage}`;
}

/** Keeps the newest content of a checkout, whatever order its webhooks arrive in. */
async function upsertCheckout(tx: Tx, shop: string, c: CheckoutPayload, shopperId: string | null) {
  const lineItems = JSON.stringify(
    c.line_items.map((item) => ({ title: item.title, variantTitle: item.variant_title ?? null, quantity: item.quantity, price: item.price })),
  );
  await tx.$executeRaw`
    INSERT INTO checkout (id, shop, token, cart_token, shopper_id, email, phone, abandoned_checkout_url, total_price, currency,
                          presentment_currency, line_items, started_at, last_activity_at, completed_at, updated_at)
    VALUES (gen_random_uuid(), ${shop}, ${c.token}, ${c.cart_token ?? null}, ${shopperId}::uuid, ${c.email ?? null}, ${c.phone ?? null},
            ${c.abandoned_checkout_url ?? null}, ${c.total_price ?? null}::numeric, ${c.currency ?? null}, ${c.presentment_currency ?? null},
            ${lineItems}::jsonb, ${c.created_at}, ${c.updated_at}, ${c.completed_at ?? null}, now())
    ON CONFLICT (shop, token) DO UPDATE SET
      shopper_id = COALESCE(checkout.shopper_id, EXCLUDED.shopper_id),
      cart_token = COALESCE(checkout.cart_token, EXCLUDED.cart_token),
      started_at = LEAST(checkout.started_at, EXCLUDED.started_at),
      completed_at = COALESCE(LEAST(checkout.completed_at, EXCLUDED.completed_at), checkout.completed_at, EXCLUDED.completed_at),
      last_activity_at = GREATEST(checkout.last_activity_at, EXCLUDED.last_activity_at),
      email = CASE WHEN EXCLUDED.last_activity_at >= checkout.last_activity_at THEN EXCLUDED.email ELSE checkout.email END,
      phone = CASE WHEN EXCLUDED.last_activity_at >= checkout.last_activity_at THEN EXCLUDED.phone ELSE checkout.phone END,
      abandoned_checkout_url = CASE WHEN EXCLUDED.last_activity_at >= checkout.last_activity_at THEN EXCLUDED.abandoned_checkout_url ELSE checkout.abandoned_checkout_url END,
      total_price = CASE WHEN EXCLUDED.last_activity_at >= checkout.last_activity_at THEN EXCLUDED.total_price ELSE checkout.total_price END,
      currency = CASE WHEN EXCLUDED.last_activity_at >= checkout.last_activity_at THEN EXCLUDED.currency ELSE checkout.currency END,
      presentment_currency = CASE WHEN EXCLUDED.last_activity_at >= checkout.last_activity_at THEN EXCLUDED.presentment_currency ELSE checkout.presentment_currency END,
      line_items = CASE WHEN EXCLUDED.last_activity_at >= checkout.last_activity_at THEN EXCLUDED.line_items ELSE checkout.line_items END,
      updated_at = now()`;
}
