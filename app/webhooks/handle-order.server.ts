import type { Prisma } from "@prisma/client";
import { runJourney } from "../services/journey-runner.server";
import { resolveShopper } from "../services/shoppers.server";
import type { IngestContext } from "./ingest.server";
import type { OrderPayload } from "./payloads";
import { orderToJourney } from "./to-journey";

type Tx = Prisma.TransactionClient;

export async function handleOrder(tx: Tx, ctx: IngestContext, order: OrderPayload): Promise<string> {
  const { identity, events, placedAt } = orderToJourney(order);

  // Link by checkout_token = checkout.token, falling back to cart_token (checkout ids and
  // order.checkout_id are gone since API 2026-04). The checkout knows the texted shopper.
  const checkout = await findCheckout(tx, ctx.shop, order);
  if (checkout) {
    await tx.checkout.update({
      where: { id: checkout.id },
      data: { completedAt: checkout.completedAt && checkout.completedAt < placedAt ? checkout.completedAt : placedAt },
    });
  }
  const shopper = checkout?.shopperId
    ? await tx.shopper.findFirst({ where: { id: checkout.shopperId, shop: ctx.shop }, select: { id: true, phone: true, country: true } })
    : await resolveShopper(tx, ctx.shop, identity);

  const shopMoney = order.total_price_set?.shop_money;
  const presentment = order.total_price_set?.presentment_money;
  const inserted = await tx.order.createMany({
    data: [
      {
        shop: ctx.shop,
        shopifyOrderId: order.id,
        name: order.name ?? null,
        shopperId: shopper?.id ?? null,
        checkoutToken: order.checkout_token ?? null,
        cartToken: order.cart_token ?? null,
        totalPrice: shopMoney?.amount ?? order.total_price,
        currency: shopMoney?.currency_code ?? order.currency,
        presentmentTotal: presentment?.amount ?? null,
        presentmentCurrency: presentment?.currency_code ?? order.presentment_currency ?? null,
        placedAt,
      },
    ],
    skipDuplicates: true,
  });
  if (inserted.count === 0) return "duplicate_order";
  if (!shopper) return "stored_without_shopper";

  const result = await runJourney(tx, {
    shop: ctx.shop,
    shopperId: shopper.id,
    phone: shopper.phone,
    phoneRegion: shopper.country,
    events,
    now: ctx.now,
    settings: ctx.settings.journey,
    consentEvidence: { webhookId: ctx.webhookId },
  });
  return `journey:${result.stage}`;
}

async function findCheckout(tx: Tx, shop: string, order: OrderPayload) {
  const select = { id: true, shopperId: true, completedAt: true } as const;
  if (order.checkout_token) {
    const byToken = await tx.checkout.findUnique({ where: { shop_token: { shop, token: order.checkout_token } }, select });
    if (byToken) return byToken;
  }
  if (order.cart_token) {
    return tx.checkout.findFirst({ where: { shop, cartToken: order.cart_token }, orderBy: { lastActivityAt: "desc" }, select });
  }
  return null;
}
