import type { SqlTx } from "../db/sql-driver.server";
import { isRecovered, pickLastTouch, type AttributionSettings, type Touch } from "../offers/attribution";

export interface OrderToAttribute {
  shop: string;
  orderId: string;
  shopperId: string | null;
  codes: string[];
  placedAt: Date;
  revenue: string;
  currency: string;
  presentmentRevenue: string | null;
  presentmentCurrency: string | null;
}

/**
 * Credits a new order to the text that led to it, if any, in the order's ingest transaction:
 * one of our codes used (any time before it expired), a click within the click window, or
 * (when enabled) a delivered text within the view window. Last touch wins; the rule is kept.
 */
export async function attributeOrder(tx: SqlTx, order: OrderToAttribute, settings: AttributionSettings): Promise<Touch | null> {
  const touches: Touch[] = [];
  const row = (r: { id: string; flow: string; checkout_token: string | null; at: Date }, rule: Touch["rule"]): Touch => ({
    messageId: r.id,
    flow: r.flow,
    checkoutToken: r.checkout_token,
    rule,
    at: new Date(r.at),
  });
  type Row = { id: string; flow: string; checkout_token: string | null; at: Date };

  const codes = order.codes.map((c) => c.trim().toUpperCase()).filter(Boolean);
  if (codes.length > 0) {
    const used = await tx.query<Row>(
      `SELECT m.id, m.flow, m.checkout_token, m.sent_at AS at
       FROM discount_code d JOIN scheduled_message m ON m.id = d.message_id
       WHERE d.shop = $1 AND upper(d.code) = ANY($2::text[]) AND m.status = 'sent' AND d.ends_at >= $3`,
      [order.shop, codes, order.placedAt],
    );
    touches.push(...used.map((r) => row(r, "code")));
  }
  if (order.shopperId) {
    const clicked = await tx.query<Row>(
      `SELECT m.id, m.flow, m.checkout_token, l.last_clicked_at AS at
       FROM short_link l JOIN scheduled_message m ON m.id = l.message_id
       WHERE l.shop = $1 AND l.shopper_id = $2 AND l.last_clicked_at BETWEEN $3 AND $4`,
      [order.shop, order.shopperId, new Date(order.placedAt.getTime() - settings.clickWindowDays * 86_400_000), order.placedAt],
    );
    touches.push(...clicked.map((r) => row(r, "click")));
    if (settings.viewWindowHours !== null) {
      const seen = await tx.query<Row>(
        `SELECT id, flow, checkout_token, delivered_at AS at FROM scheduled_message
         WHERE shop = $1 AND shopper_id = $2 AND delivered_at BETWEEN $3 AND $4`,
        [order.shop, order.shopperId, new Date(order.placedAt.getTime() - settings.viewWindowHours * 3_600_000), order.placedAt],
      );
      touches.push(...seen.map((r) => row(r, "view")));
    }
  }

  const touch = pickLastTouch(touches, order.placedAt);
  if (!touch) return null;
  await tx.query(
    `INSERT INTO attribution (shop, order_id, message_id, shopper_id, flow, rule, touched_at, recovered, revenue, currency, presentment_revenue, presentment_currency)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::numeric, $10, $11::numeric, $12)
     ON CONFLICT (order_id) DO NOTHING`,
    [
      order.shop,
      order.orderId,
      touch.messageId,
      order.shopperId,
      touch.flow,
      touch.rule,
      touch.at,
      isRecovered(touch),
      order.revenue,
      order.currency,
      order.presentmentRevenue,
      order.presentmentCurrency,
    ],
  );
  return touch;
}
