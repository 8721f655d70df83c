import { createHash } from "node:crypto";
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
export async function upsertShopper(tx: SqlTx, shop: string, who: ShopperIdentity, options: { identityLocked?: boolean } = {}): Promise<LockedShopper | null> {
  // Webhook ingest takes the locks in its receipt statement, saving a round trip (ingest.server.ts).
  if (!options.identityLocked) await lockIdentity(tx, shop, who);
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

/**
 * Serialises the upserts of one identity (its phone and its customer id) across transactions.
 * Two first webhooks of one new shopper otherwise both insert: speculative insertion checks the
 * phone and the customer-id unique indexes one after the other, and the two inserts can wait on
 * each other's index entries, a deadlock PostgreSQL breaks by failing one (a 500, then Shopify's
 * retry; seen in tests/reliability/crash-ingest.test.ts). Transaction-level advisory locks
 * (https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS), taken in key
 * order so two identities sharing a phone or a customer can't deadlock on the locks themselves.
 */
async function lockIdentity(tx: SqlTx, shop: string, who: ShopperIdentity): Promise<void> {
  const keys = identityLockKeys(shop, who);
  if (keys.length === 0) return;
  // Target-list expressions are evaluated left to right, so the locks are taken in key order.
  await tx.query(`SELECT ${keys.map((_, i) => `pg_advisory_xact_lock($${i + 1}::bigint)`).join(", ")}`, keys.map(String));
}

/** The advisory-lock keys of an identity (its phone's and its customer id's), in the order lockIdentity takes them. */
export function identityLockKeys(shop: string, who: ShopperIdentity): bigint[] {
  return [who.phone && `phone:${who.phone}`, who.customerId && `customer:${who.customerId}`]
    .filter((name): name is string => Boolean(name))
    .map((name) => advisoryKey(`shopper:${shop}:${name}`))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A signed 64-bit advisory-lock key from a name. */
function advisoryKey(name: string): bigint {
  return createHash("sha256").update(name).digest().readBigInt64BE(0);
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
  const [row] = await tx.query<LockedShopper>("SELECT id, phone, country, state FROM shopper WHERE shop = $1 AND id = $2 FOR UPDATE", [shop, id]);
  return row ?? null;
}
