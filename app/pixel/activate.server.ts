import type { PrismaClient } from "@prisma/client";
import { createWebPixel, deleteWebPixel, type WebPixelResult, type WebPixelSettings } from "../adapters/shopify-web-pixel.server";
import { env } from "../env.server";
import { log } from "../lib/log.server";

/** What Settings shows about the shop's web pixel. */
export interface WebPixelStatus {
  /** The merchant's switch: on unless they turned it off. */
  wanted: boolean;
  /** On the storefront: Shopify holds our pixel for the shop. */
  active: boolean;
  /** Why the last attempt to create or delete it failed. */
  error: string | null;
}

export interface WebPixelApi {
  create(shop: string, settings: WebPixelSettings): Promise<WebPixelResult>;
  remove(shop: string, id: string): Promise<WebPixelResult>;
}

const shopifyWebPixels: WebPixelApi = { create: createWebPixel, remove: deleteWebPixel };

/** The pixel's settings (the extension's [settings] fields): where to post, and for which shop. */
function webPixelSettings(shop: string, appUrl = env().SHOPIFY_APP_URL): WebPixelSettings {
  return { collectorUrl: new URL("/pixel/events", appUrl).toString(), shop };
}

export async function readWebPixelStatus(prisma: PrismaClient, shop: string): Promise<WebPixelStatus> {
  const row = await prisma.shop.findUnique({ where: { domain: shop }, select: { webPixelWanted: true, webPixelId: true, webPixelError: true } });
  return { wanted: row?.webPixelWanted ?? true, active: Boolean(row?.webPixelId), error: row?.webPixelError ?? null };
}

/**
 * On install (afterAuth): creates the shop's web pixel unless the merchant switched it off.
 * Never throws: a failure is stored for Settings to show and logged; the next install or the
 * Settings switch tries again. Issue #18, item 2.
 */
export async function activateWebPixelOnInstall(prisma: PrismaClient, shop: string, api: WebPixelApi = shopifyWebPixels): Promise<WebPixelStatus> {
  const status = await readWebPixelStatus(prisma, shop);
  if (!status.wanted) return status;
  return switchWebPixel(prisma, shop, true, api);
}

/** The Settings switch: creates (or re-settles) the pixel, or deletes it. */
export async function switchWebPixel(prisma: PrismaClient, shop: string, on: boolean, api: WebPixelApi = shopifyWebPixels): Promise<WebPixelStatus> {
  const row = await prisma.shop.findUnique({ where: { domain: shop }, select: { webPixelId: true } });
  if (on) {
    const result = await api.create(shop, webPixelSettings(shop));
    await prisma.shop.update({
      where: { domain: shop },
      data: result.ok ? { webPixelWanted: true, webPixelId: result.id, webPixelError: null } : { webPixelWanted: true, webPixelError: result.reason },
    });
    log.info("web pixel switched on", { shop, ok: result.ok });
  } else {
    const result: WebPixelResult = row?.webPixelId ? await api.remove(shop, row.webPixelId) : { ok: true, id: "" };
    await prisma.shop.update({
      where: { domain: shop },
      data: result.ok ? { webPixelWanted: false, webPixelId: null, webPixelError: null } : { webPixelWanted: false, webPixelError: result.reason },
    });
    log.info("web pixel switched off", { shop, ok: result.ok });
  }
  return readWebPixelStatus(prisma, shop);
}
