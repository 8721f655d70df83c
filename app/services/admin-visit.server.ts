import { ensureOfflineToken } from "../adapters/offline-token.server";
import { clock } from "../clock.server";
import { database } from "../db.server";
import { syncShopDetails } from "./shop-details.server";

/**
 * What the admin layout does on each merchant visit, with one read of the shop row:
 * - migrates a non-expiring offline token from before expiringOfflineAccessTokens (the library
 *   keeps using it otherwise), as Shopify's migration guide expects (docs/decisions/013);
 * - reads the shop's details once for a shop installed before they were read;
 * - says whether Shopify refused the shop's refresh token, for the re-auth banner.
 */
export async function openAdmin(session: { shop: string; isOnline: boolean; expires?: Date }): Promise<{ reauthNeeded: boolean }> {
  if (!session.isOnline && !session.expires) await ensureOfflineToken(session.shop);
  const prisma = (await database()).prisma;
  const row = await prisma.shop.findUnique({ where: { domain: session.shop }, select: { reauthNeededAt: true, detailsAt: true } });
  if (row && row.detailsAt === null) await syncShopDetails(prisma, session.shop, clock.now());
  return { reauthNeeded: Boolean(row?.reauthNeededAt) };
}
