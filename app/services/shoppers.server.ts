import type { SqlTx } from "../db/sql-driver.server";

export interface ShopperIdentity {
  phone: string | null;
  phoneRegion: string | null;
  customerId: string | null;
  email?: string | null;
  firstName?: string | null;
}

export interface LockedShopper {
  id: string;
  phone: string | null;
  country: string | null;
  /** Stored journey state ({} for a new shopper). */
  state: unknown;
}

/**
 * Finds or creates the shopper for a phone (the SMS identity) or, without one, a Shopify
 * customer id, fills in what the record lacked, and returns it with its journey state. The
 * upsert leaves the row locked until the transaction ends, so concurrent webhooks for one
 * shopper apply one after the other and none of their journey updates is lost.
 */
export async function upsertShopper(tx: SqlTx, shop: string, who: ShopperIdentity): Promise<LockedShopper | null> {
  if (who.phone) {
    if (who.customerId) await attachPhoneToCustomer(tx, shop, who);
    const [row] = await tx.query<LockedShopper>(
      `INSERT INTO shopper AS s (shop, phone, customer_id, email, first_name, country, updated_at)
       VALUES ($1, $2,
               -- the customer id may already belong to this customer's other phone
               CASE WHEN EXISTS (SELECT 1 FROM shopper WHERE shop = $1 AND customer_id = $3) THEN NULL ELSE $3 END,
               $4, $5, $6, now())
       ON CONFLICT (shop, phone) DO UPDATE SET
         customer_id = COALESCE(s.customer_id, EXCLUDED.customer_id),
         email = COALESCE(EXCLUDED.email, s.email),
         first_name = COALESCE(EXCLUDED.first_name, s.first_name),
         updated_at = now()
       RETURNING id, phone, country, state`,
      [shop, who.phone, who.customerId, who.email ?? null, who.firstName ?? null, who.phoneRegion],
    );
    return row ?? null;
  }
  if (who.customerId) {
    const [row] = await tx.query<LockedShopper>(
      `INSERT INTO shopper AS s (shop, customer_id, email, first_name, updated_at)
       VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (shop, customer_id) DO UPDATE SET
         email = COALESCE(EXCLUDED.email, s.email),
         first_name = COALESCE(EXCLUDED.first_name, s.first_name),
         updated_at = now()
       RETURNING id, phone, country, state`,
      [shop, who.customerId, who.email ?? null, who.firstName ?? null],
    );
    return row ?? null;
  }
  return null;
}

/** A shopper first known only by customer id (say, from an order) gains the phone we now see. */
async function attachPhoneToCustomer(tx: SqlTx, shop: string, who: ShopperIdentity) {
  await tx.query(
    `UPDATE shopper SET phone = $2, country = $4, updated_at = now()
     WHERE shop = $1 AND customer_id = $3 AND phone IS NULL
       AND NOT EXISTS (SELECT 1 FROM shopper WHERE shop = $1 AND phone = $2)`,
    [shop, who.phone, who.customerId, who.phoneRegion],
  );
}

/** Locks and returns a shopper we already know the id of. */
export async function lockShopper(tx: SqlTx, shop: string, id: string): Promise<LockedShopper | null> {
  const [row] = await tx.query<LockedShopper>(
    "SELECT id, phone, country, state FROM shopper WHERE shop = $1 AND id = $2 FOR UPDATE",
    [shop, id],
  );
  return row ?? null;
}
