import type { SqlDriver } from "../db/sql-driver.server";
import { applyStorefrontEvents } from "../services/storefront-journey.server";
import type { CollectorRequest } from "./collector-request";
import { readPixelBatch } from "./read-events";
import { findShopperByClues, keepVisitorEvents, tieVisitor } from "./visitors.server";

export type CollectResult =
  | { status: "shop_not_installed" }
  /** A known shopper's events, through the journey (the browse and cart flows). */
  | { status: "fed"; events: number }
  /** An unknown visitor's events, kept a few hours in case they are identified. */
  | { status: "kept"; events: number }
  /** Nothing the journey uses, from a visitor we don't know. */
  | { status: "ignored" };

/**
 * One pixel batch, in one transaction: the shop must be installed; the visitor is the shopper
 * the batch names (logged-in customer, phone or email typed at checkout) or the one their client
 * id was tied to before (popup sign-up, an earlier batch). A known shopper's events, with any
 * kept while they were unknown, go through the journey; an unknown visitor's are kept.
 * Issue #18, items 3 and 4; docs/decisions/019-web-pixel.md.
 */
export async function collectPixelEvents(sql: SqlDriver, body: CollectorRequest, now: Date): Promise<CollectResult> {
  return sql.transaction(async (tx) => {
    const [shop] = await tx.query<{ country: string | null; uninstalled_at: Date | null; tied: string | null }>(
      `SELECT s.country, s.uninstalled_at, v.shopper_id AS tied
       FROM shop s LEFT JOIN storefront_visitor v ON v.shop = s.domain AND v.client_id = $2
       WHERE s.domain = $1`,
      [body.shop, body.clientId],
    );
    if (!shop || shop.uninstalled_at) return { status: "shop_not_installed" };
    const batch = readPixelBatch(body, now, shop.country);
    const shopperId = (await findShopperByClues(tx, body.shop, batch.clues)) ?? shop.tied;
    if (!shopperId) {
      if (batch.events.length === 0) return { status: "ignored" };
      await keepVisitorEvents(tx, body.shop, body.clientId, batch.events, now);
      return { status: "kept", events: batch.events.length };
    }
    const kept = await tieVisitor(tx, body.shop, body.clientId, shopperId, now);
    const events = [...kept, ...batch.events];
    await applyStorefrontEvents(tx, { shop: body.shop, shopperId, events, now });
    return { status: "fed", events: events.length };
  });
}
