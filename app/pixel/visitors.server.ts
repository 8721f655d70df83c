import type { SqlTx } from "../db/sql-driver.server";
import type { StorefrontJourneyEvent, VisitorClues } from "./read-events";

/** An unknown visitor's newest events kept for when they are identified. */
const MAX_PENDING_EVENTS = 50;

/**
 * The shop's known shopper these clues name, strongest first: the logged-in customer id, then a
 * phone typed at checkout, then an email (matched only when one shopper has it). Never creates
 * a shopper: the pixel's data is unauthenticated, so it can only point at someone we know.
 */
export async function findShopperByClues(tx: SqlTx, shop: string, clues: VisitorClues): Promise<string | null> {
  if (clues.customerId || clues.phones.length > 0) {
    const [row] = await tx.query<{ id: string }>(
      `SELECT id FROM shopper WHERE shop = $1 AND (customer_id = $2 OR phone = ANY($3::text[]))
       ORDER BY (customer_id IS NOT DISTINCT FROM $2) DESC LIMIT 1`,
      [shop, clues.customerId, clues.phones],
    );
    if (row) return row.id;
  }
  if (clues.emails.length === 0) return null;
  const rows = await tx.query<{ id: string }>("SELECT id FROM shopper WHERE shop = $1 AND lower(email) = ANY($2::text[]) LIMIT 2", [shop, clues.emails]);
  return rows.length === 1 ? rows[0]!.id : null;
}

/**
 * Ties the pixel's client id to a shopper (a later tie wins: a shared device's new customer)
 * and hands back the events kept while the visitor was unknown, now cleared. One statement.
 */
export async function tieVisitor(tx: SqlTx, shop: string, clientId: string, shopperId: string, now: Date): Promise<StorefrontJourneyEvent[]> {
  const [row] = await tx.query<{ pending: StorefrontJourneyEvent[] | null }>(
    `WITH before AS (SELECT pending FROM storefront_visitor WHERE shop = $1 AND client_id = $2)
     INSERT INTO storefront_visitor AS v (shop, client_id, shopper_id, pending, created_at, last_seen_at)
     VALUES ($1, $2, $3::uuid, '[]'::jsonb, $4, $4)
     ON CONFLICT (shop, client_id) DO UPDATE SET shopper_id = EXCLUDED.shopper_id, pending = '[]'::jsonb, last_seen_at = EXCLUDED.last_seen_at
     RETURNING (SELECT pending FROM before) AS pending`,
    [shop, clientId, shopperId, now],
  );
  return row?.pending ?? [];
}

/** Keeps an unknown visitor's events (the newest MAX_PENDING_EVENTS) until the worker drops them. */
export async function keepVisitorEvents(tx: SqlTx, shop: string, clientId: string, events: StorefrontJourneyEvent[], now: Date): Promise<void> {
  await tx.query(
    `INSERT INTO storefront_visitor AS v (shop, client_id, pending, created_at, last_seen_at)
     VALUES ($1, $2, $3::jsonb, $4, $4)
     ON CONFLICT (shop, client_id) DO UPDATE SET
       pending = (SELECT COALESCE(jsonb_agg(e ORDER BY n), '[]'::jsonb)
                  FROM (SELECT e, n FROM jsonb_array_elements(v.pending || EXCLUDED.pending) WITH ORDINALITY AS t(e, n)
                        ORDER BY n DESC LIMIT ${MAX_PENDING_EVENTS}) AS newest),
       last_seen_at = EXCLUDED.last_seen_at`,
    [shop, clientId, JSON.stringify(events.slice(-MAX_PENDING_EVENTS)), now],
  );
}

/**
 * Housekeeping: unknown visitors' events go `unknownHours` after the visitor was last seen, and
 * ties to known shoppers after `tieDays` without a visit (the next login or sign-up ties again).
 */
export async function pruneStorefrontVisitors(sql: Pick<SqlTx, "query">, now: Date, options: { unknownHours: number; tieDays?: number }): Promise<number> {
  const removed = await sql.query(
    `DELETE FROM storefront_visitor
     WHERE (shopper_id IS NULL AND last_seen_at < $3::timestamptz - make_interval(hours => $1))
        OR last_seen_at < $3::timestamptz - make_interval(days => $2)
     RETURNING client_id`,
    [options.unknownHours, options.tieDays ?? 30, now],
  );
  return removed.length;
}
