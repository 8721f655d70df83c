import type { SqlTx } from "../db/sql-driver.server";
import { combineWrites, type Statement } from "../db/sql-values";
import { attributeOrder } from "../services/attribution.server";
import { runJourney } from "../services/journey-runner.server";
import { lockShopper, upsertShopper } from "../services/shoppers.server";
import type { IngestContext } from "./ingest.server";
import type { OrderPayload } from "./payloads";
import { orderToJourney } from "./to-journey";

/** An order payload with its shopper's identity and journey events, mapped once per webhook. */
export interface MappedOrder {
  order: OrderPayload;
  journey: ReturnType<typeof orderToJourney>;
}

export const mapOrder = (order: OrderPayload): MappedOrder => ({ order, journey: orderToJourney(order) });

export async function handleOrder(tx: SqlTx, ctx: IngestContext, { order, journey }: MappedOrder): Promise<string> {
  const { identity, events, placedAt } = journey;

  // Link by checkout_token = checkout.token, falling back to cart_token (checkout ids and
  // order.checkout_id are gone since API 2026-04), and mark the checkout completed. The
  // checkout knows which shopper we would have texted. The shopper's row is locked before the
  // checkout's, in the order handleCheckout takes them: the other way round, an order and a
  // checkout update for one shopper deadlocked (found by tests/reliability/crash-ingest.test.ts).
  // The receipt statement took the shopper's identity locks (ctx.identityLocked), which a
  // checkout of theirs still being ingested holds until it commits: this look-up runs after
  // that commit and sees the checkout. Looked up before the locks, the order missed a checkout
  // committed while it waited, and that checkout stayed open
  // (tests/integration/webhooks.order-racing-checkout.test.ts).
  const [checkout] = await tx.query<{ id: string; shopper_id: string | null }>(
    `SELECT id, shopper_id FROM checkout
     WHERE shop = $1 AND (token = $2 OR cart_token = $3)
     ORDER BY (token = $2) DESC NULLS LAST, last_activity_at DESC
     LIMIT 1`,
    [ctx.shop, order.checkout_token ?? null, order.cart_token ?? null],
  );
  const shopper = checkout?.shopper_id ? await lockShopper(tx, ctx.shop, checkout.shopper_id) : await upsertShopper(tx, ctx.shop, identity, { identityLocked: ctx.identityLocked });

  const shopMoney = order.total_price_set?.shop_money;
  const presentment = order.total_price_set?.presentment_money;
  const storeOrder: Statement = {
    sql: `INSERT INTO "order" (shop, shopify_order_id, name, shopper_id, checkout_token, cart_token, total_price, currency,
                               presentment_total, presentment_currency, placed_at)
          VALUES ($1, $2, $3, $4, $5, $6, $7::numeric, $8, $9::numeric, $10, $11)
          -- An order the history import stored first is this order: it becomes a live one (its
          -- tokens, its shopper), attributed and journeyed as if it had come first (ADR 014). A
          -- replayed webhook changes nothing.
          ON CONFLICT (shop, shopify_order_id) DO UPDATE SET source = 'webhook', checkout_token = EXCLUDED.checkout_token,
            cart_token = EXCLUDED.cart_token, shopper_id = COALESCE(EXCLUDED.shopper_id, "order".shopper_id)
            WHERE "order".source = 'import'
          RETURNING id`,
    params: [
      ctx.shop,
      order.id,
      order.name ?? null,
      shopper?.id ?? null,
      order.checkout_token ?? null,
      order.cart_token ?? null,
      shopMoney?.amount ?? order.total_price,
      shopMoney?.currency_code ?? order.currency,
      presentment?.amount ?? null,
      presentment?.currency_code ?? order.presentment_currency ?? null,
      placedAt,
    ],
  };
  // The checkout is marked completed in the same round trip (another table, not read by the insert).
  const completeCheckout: Statement[] = checkout ? [{ sql: `UPDATE checkout SET completed_at = LEAST(completed_at, $2), updated_at = now() WHERE id = $1`, params: [checkout.id, placedAt] }] : [];
  const store = combineWrites([...completeCheckout, storeOrder]);
  const inserted = await tx.query<{ id: string }>(store.sql, store.params);
  if (inserted.length === 0) return "duplicate_order";
  const attributed = await attributeOrder(
    tx,
    {
      shop: ctx.shop,
      orderId: inserted[0]!.id,
      shopperId: shopper?.id ?? null,
      codes: order.discount_codes.map((d) => d.code),
      placedAt,
      revenue: shopMoney?.amount ?? order.total_price,
      currency: shopMoney?.currency_code ?? order.currency,
      presentmentRevenue: presentment?.amount ?? null,
      presentmentCurrency: presentment?.currency_code ?? order.presentment_currency ?? null,
    },
    ctx.settings.attribution,
  );
  if (!shopper) return attributed ? `attributed_${attributed.rule}` : "stored_without_shopper";

  const result = await runJourney(tx, {
    shop: ctx.shop,
    shopper,
    events,
    now: ctx.now,
    settings: ctx.settings.journey,
    webhookId: ctx.webhookId,
  });
  return `journey:${result.stage}`;
}
