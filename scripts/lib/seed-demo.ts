import { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { openDatabase } from "../../app/db/open-database.server";
import { DEMO_SHOP } from "../../app/demo/session-token.server";
import { recordInstall } from "../../app/services/shops.server";

/**
 * Seeds the demo shop: the offline session Shopify's token exchange would store on install,
 * and the shop row with default settings. Runs before the server opens the same database.
 */
export async function seedDemoShop(config: { url?: string; schema?: string; dataDir: string; scopes: string; settings?: Record<string, unknown> }) {
  const database = await openDatabase(config);
  try {
    await new PrismaSessionStorage(database.prisma).storeSession(
      new Session({
        id: `offline_${DEMO_SHOP}`,
        shop: DEMO_SHOP,
        state: "demo",
        isOnline: false,
        scope: config.scopes,
        accessToken: "shpat_demo_offline_token",
      }),
    );
    await recordInstall(database.prisma, DEMO_SHOP, { name: "Nudge Demo Store", timezone: "America/New_York", currency: "USD" });
    if (config.settings) await database.prisma.shop.update({ where: { domain: DEMO_SHOP }, data: { settings: config.settings as object } });
    return database.description;
  } finally {
    await database.close();
  }
}
