import type { Prisma } from "@prisma/client";
import { normalizePhone } from "../lib/phone";
import type { IngestContext } from "./ingest.server";
import type { CustomersRedactPayloadSchema } from "./payloads";
import { exactShopifyId } from "./payloads";
import type { z } from "zod";

type Tx = Prisma.TransactionClient;

/** app/uninstalled: nothing more may be sent for this shop, and its tokens are dead. */
export async function handleUninstalled(tx: Tx, ctx: IngestContext): Promise<string> {
  await tx.shop.update({ where: { domain: ctx.shop }, data: { uninstalledAt: ctx.now } });
  const cancelled = await tx.scheduledMessage.updateMany({
    where: { shop: ctx.shop, status: "scheduled" },
    data: { status: "cancelled", reason: "app_uninstalled" },
  });
  await tx.session.deleteMany({ where: { shop: ctx.shop } });
  return `uninstalled:cancelled_${cancelled.count}`;
}

/**
 * customers/redact: erase the shopper's personal data. Orders stay (they are the merchant's
 * revenue figures) but lose their link to the person.
 */
export async function handleCustomerRedact(
  tx: Tx,
  ctx: IngestContext,
  payload: z.infer<typeof CustomersRedactPayloadSchema>,
): Promise<string> {
  const ids = await findCustomerShoppers(tx, ctx.shop, payload.customer);
  if (ids.length === 0) return "redact:no_data";
  const where = { shop: ctx.shop, shopperId: { in: ids } };
  await tx.scheduledMessage.deleteMany({ where });
  await tx.journeyEvent.deleteMany({ where });
  await tx.consent.deleteMany({ where });
  await tx.checkout.deleteMany({ where });
  await tx.order.updateMany({ where, data: { shopperId: null } });
  await tx.shopper.deleteMany({ where: { shop: ctx.shop, id: { in: ids } } });
  return `redact:${ids.length}`;
}

/**
 * customers/data_request: Shopify asks us to give the merchant what we hold. We record the
 * request (the export itself is produced from the admin, see docs) and report what exists.
 */
export async function handleCustomerDataRequest(
  tx: Tx,
  ctx: IngestContext,
  payload: z.infer<typeof CustomersRedactPayloadSchema>,
): Promise<string> {
  const ids = await findCustomerShoppers(tx, ctx.shop, payload.customer);
  return `data_request:${ids.length}`;
}

/** shop/redact (48 h after uninstall): erase everything we hold for the shop. */
export async function handleShopRedact(tx: Tx, ctx: IngestContext): Promise<string> {
  const where = { shop: ctx.shop };
  await tx.scheduledMessage.deleteMany({ where });
  await tx.journeyEvent.deleteMany({ where });
  await tx.consent.deleteMany({ where });
  await tx.checkout.deleteMany({ where });
  await tx.order.deleteMany({ where });
  await tx.shopper.deleteMany({ where });
  await tx.session.deleteMany({ where });
  await tx.shop.deleteMany({ where: { domain: ctx.shop } });
  return "shop_redacted";
}

async function findCustomerShoppers(
  tx: Tx,
  shop: string,
  customer: { id?: number | string | null; email?: string | null; phone?: string | null },
): Promise<string[]> {
  const customerId = exactShopifyId("Customer", { id: customer.id });
  const phone = normalizePhone(customer.phone)?.e164 ?? null;
  const or = [
    ...(customerId ? [{ customerId }] : []),
    ...(phone ? [{ phone }] : []),
    ...(customer.email ? [{ email: customer.email }] : []),
  ];
  if (or.length === 0) return [];
  const rows = await tx.shopper.findMany({ where: { shop, OR: or }, select: { id: true } });
  return rows.map((row) => row.id);
}
