import type { PrismaClient } from "@prisma/client";
import { fetchShopDetails } from "../adapters/shopify-shop.server";
import { knownTimeZone } from "../lib/zoned-time";
import { log } from "../lib/log.server";

export type ShopDetailsSync = { ok: true } | { ok: false; reason: string };

/**
 * Reads the shop's name, currency, IANA time zone, public contact email and country from
 * Shopify and stores them on the shop row. Without them, texts are branded with the
 * myshopify handle, HELP replies name no brand or contact, and the dashboard counts dollars
 * in UTC days (issue #16). Never throws: a failed read is logged and tried again later.
 */
export async function syncShopDetails(prisma: PrismaClient, shop: string, now: Date): Promise<ShopDetailsSync> {
  const result = await fetchShopDetails(shop);
  if (!result.ok) {
    log.warn("could not read the shop's details; texts and the dashboard use what is stored", { shop, reason: result.reason });
    return result;
  }
  const { name, currency, timezone, contactEmail, country } = result.details;
  await prisma.shop.update({ where: { domain: shop }, data: { name, currency, timezone, contactEmail, country, detailsAt: now } });
  log.info("shop details stored", { shop, currency, timezone, country });
  return { ok: true };
}

/** The currency and time zone the admin shows money and dates in (USD and UTC until Shopify told us). */
export async function shopLocale(prisma: PrismaClient, shop: string): Promise<{ currency: string; timeZone: string }> {
  const row = await prisma.shop.findUnique({ where: { domain: shop }, select: { currency: true, timezone: true } });
  return { currency: row?.currency ?? "USD", timeZone: knownTimeZone(row?.timezone) };
}
