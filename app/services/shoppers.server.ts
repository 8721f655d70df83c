import type { Prisma } from "@prisma/client";

type Tx = Prisma.TransactionClient;

export interface ShopperIdentity {
  phone: string | null;
  phoneRegion: string | null;
  customerId: string | null;
  email?: string | null;
  firstName?: string | null;
}

export interface ResolvedShopper {
  id: string;
  phone: string | null;
  country: string | null;
  created: boolean;
}

/**
 * Finds the shopper for a phone (the SMS identity) or a Shopify customer id, creating one
 * when neither is known, and fills in whatever the record was missing. Race-safe: the
 * insert is ON CONFLICT DO NOTHING and we re-read, so two webhooks for one new shopper
 * end up on the same row.
 */
export async function resolveShopper(tx: Tx, shop: string, who: ShopperIdentity): Promise<ResolvedShopper | null> {
  if (!who.phone && !who.customerId) return null;
  const existing = await findShopper(tx, shop, who);
  if (existing) {
    const updates: Prisma.ShopperUpdateInput = {};
    if (!existing.phone && who.phone && !(await phoneTaken(tx, shop, who.phone))) {
      updates.phone = who.phone;
      updates.country = who.phoneRegion;
    }
    if (!existing.customerId && who.customerId && !(await customerTaken(tx, shop, who.customerId))) updates.customerId = who.customerId;
    if (who.email && who.email !== existing.email) updates.email = who.email;
    if (who.firstName && who.firstName !== existing.firstName) updates.firstName = who.firstName;
    if (Object.keys(updates).length === 0) return { id: existing.id, phone: existing.phone, country: existing.country, created: false };
    const row = await tx.shopper.update({ where: { id: existing.id }, data: updates });
    return { id: row.id, phone: row.phone, country: row.country, created: false };
  }
  // The customer id may already belong to this customer's old phone; the new phone still
  // gets its own shopper, without the id.
  const customerId = who.customerId && who.phone && (await customerTaken(tx, shop, who.customerId)) ? null : who.customerId;
  const inserted = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO shopper (id, shop, phone, customer_id, email, first_name, country, updated_at)
    VALUES (gen_random_uuid(), ${shop}, ${who.phone}, ${customerId}, ${who.email ?? null}, ${who.firstName ?? null},
            ${who.phoneRegion}, now())
    ON CONFLICT DO NOTHING
    RETURNING id`;
  if (inserted[0]) return { id: inserted[0].id, phone: who.phone, country: who.phoneRegion, created: true };
  const raced = await findShopper(tx, shop, who);
  return raced ? { id: raced.id, phone: raced.phone, country: raced.country, created: false } : null;
}

async function findShopper(tx: Tx, shop: string, who: ShopperIdentity) {
  if (who.phone) {
    const byPhone = await tx.shopper.findUnique({ where: { shop_phone: { shop, phone: who.phone } } });
    if (byPhone) return byPhone;
  }
  if (who.customerId) {
    const byCustomer = await tx.shopper.findUnique({ where: { shop_customerId: { shop, customerId: who.customerId } } });
    // A customer who now uses a different phone is a different SMS identity.
    if (byCustomer && (!who.phone || !byCustomer.phone)) return byCustomer;
  }
  return null;
}

async function phoneTaken(tx: Tx, shop: string, phone: string) {
  return (await tx.shopper.count({ where: { shop, phone } })) > 0;
}

async function customerTaken(tx: Tx, shop: string, customerId: string) {
  return (await tx.shopper.count({ where: { shop, customerId } })) > 0;
}
