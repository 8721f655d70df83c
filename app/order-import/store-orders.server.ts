import type { SqlTx } from "../db/sql-driver.server";
import { valuesList } from "../db/sql-values";
import type { JourneySettings } from "../journey";
import { runJourney } from "../services/journey-runner.server";
import { upsertShopper, type LockedShopper } from "../services/shoppers.server";
import type { ImportedOrder } from "./bulk-order";

/**
 * Stores one batch of imported orders in the caller's transaction: the batch's shoppers, then
 * every order in one INSERT, then one journey run per shopper with the orders that were new.
 * An order orders/create already delivered is left alone (the unique (shop, shopify_order_id)
 * key), so replaying a batch, or importing what a webhook stored, changes nothing. Imported
 * orders are not attributed to texts: they were placed before the app could send any.
 *
 * All shopper locks are taken before any order row is written: a concurrent orders/create
 * locks its one shopper and then inserts its order, so it never holds a lock this waits on
 * while waiting on a row this wrote.
 */
export async function storeImportedOrders(tx: SqlTx, run: { shop: string; orders: ImportedOrder[]; settings: JourneySettings; now: Date }): Promise<number> {
  // Orders a webhook (or an earlier run) already stored are not ours to touch, nor their shoppers.
  const known = await tx.query<{ shopify_order_id: string }>(`SELECT shopify_order_id FROM "order" WHERE shop = $1 AND shopify_order_id = ANY($2::text[])`, [
    run.shop,
    run.orders.map((order) => order.payload.id),
  ]);
  const stored = new Set(known.map((row) => row.shopify_order_id));
  run = { ...run, orders: run.orders.filter((order) => !stored.has(order.payload.id)) };
  if (run.orders.length === 0) return 0;
  const shoppers = new Map<string, LockedShopper | null>();
  const shopperOf = new Map<ImportedOrder, LockedShopper | null>();
  for (const order of run.orders) {
    const key = order.identity.phone ? `phone:${order.identity.phone}` : order.identity.customerId ? `customer:${order.identity.customerId}` : null;
    if (key !== null && !shoppers.has(key)) shoppers.set(key, await upsertShopper(tx, run.shop, order.identity));
    shopperOf.set(order, key === null ? null : (shoppers.get(key) ?? null));
  }

  const rows = valuesList(
    run.orders.map((order) => {
      const money = order.payload.total_price_set!;
      return [
        run.shop,
        order.payload.id,
        order.payload.name ?? null,
        shopperOf.get(order)?.id ?? null,
        money.shop_money.amount,
        money.shop_money.currency_code,
        money.presentment_money.amount,
        money.presentment_money.currency_code,
        order.placedAt,
      ];
    }),
    ["", "", "", "::uuid", "::numeric", "", "::numeric", "", "::timestamptz"],
    ", 'import'",
  );
  const inserted = await tx.query<{ shopify_order_id: string }>(
    `INSERT INTO "order" (shop, shopify_order_id, name, shopper_id, total_price, currency, presentment_total, presentment_currency, placed_at, source)
     VALUES ${rows.sql}
     ON CONFLICT (shop, shopify_order_id) DO NOTHING
     RETURNING shopify_order_id`,
    rows.params,
  );
  const fresh = new Set(inserted.map((row) => row.shopify_order_id));

  const eventsOf = new Map<LockedShopper, ImportedOrder["events"]>();
  for (const order of run.orders) {
    const shopper = shopperOf.get(order);
    if (!shopper || !fresh.has(order.payload.id)) continue;
    fresh.delete(order.payload.id); // the export listing one order twice feeds the journey once
    eventsOf.set(shopper, [...(eventsOf.get(shopper) ?? []), ...order.events]);
  }
  for (const [shopper, events] of eventsOf) {
    await runJourney(tx, { shop: run.shop, shopper, events, now: run.now, settings: run.settings });
  }
  return inserted.length;
}
