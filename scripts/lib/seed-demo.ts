import { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { recordSubscription } from "../../app/billing/plan-state.server";
import { openDatabase } from "../../app/db/open-database.server";
import { DEMO_SHOP } from "../../app/demo/session-token.server";
import type { DemoSubscription } from "../../app/demo/shopify/demo-shopify.server";
import { initialState } from "../../app/journey";
import { recordInstall } from "../../app/services/shops.server";

/** The offline token Shopify's token exchange would have stored on install (the demo's Shopify knows it). */
export const DEMO_OFFLINE_TOKEN = "shpat_demo_offline_token";

/** The demo shop as its Shopify describes it (nudgeShopDetails) and as the seeded shop row holds it. */
export const DEMO_SHOP_DETAILS = { name: "Nudge Demo Store", timezone: "America/New_York", currency: "USD", contactEmail: "hello@nudge-demo.example", country: "US" };

/** A subscriber who signed up before the run (the campaign's audience, app/demo/scenario/campaign.ts). */
export interface SeededSubscriber {
  phone: string;
  firstName: string;
  lastName: string;
  email: string;
  customerId: string;
}

/**
 * Seeds the demo shop: the offline session Shopify's token exchange would store on install,
 * the shop row with default settings, and the plan the merchant approved (`subscription`, as
 * the demo's Shopify holds it: the app's admin and dispatcher then go on as after approval). Runs before the server opens the same database.
 * `subscribers` signed up with the storefront popup at `subscribedAt`: their shopper rows,
 * consent log and consent evidence as the popup's sign-up records them.
 */
export async function seedDemoShop(config: {
  url?: string;
  schema?: string;
  dataDir: string;
  scopes: string;
  settings?: Record<string, unknown>;
  subscribers?: SeededSubscriber[];
  subscribedAt?: Date;
  subscription?: DemoSubscription;
}) {
  const database = await openDatabase(config);
  try {
    await new PrismaSessionStorage(database.prisma).storeSession(
      new Session({
        id: `offline_${DEMO_SHOP}`,
        shop: DEMO_SHOP,
        state: "demo",
        isOnline: false,
        scope: config.scopes,
        accessToken: DEMO_OFFLINE_TOKEN,
      }),
    );
    const { name, timezone, currency } = DEMO_SHOP_DETAILS;
    await recordInstall(database.prisma, DEMO_SHOP, { name, timezone, currency });
    const subscription = config.subscription;
    if (subscription) await database.sql.transaction((tx) => recordSubscription(tx, DEMO_SHOP, subscription, new Date()));
    if (config.settings) await database.prisma.shop.update({ where: { domain: DEMO_SHOP }, data: { settings: config.settings as object } });
    const at = config.subscribedAt ?? new Date();
    for (const s of config.subscribers ?? []) {
      const state = JSON.parse(JSON.stringify({ ...initialState("US"), consentLog: [{ at: at.getTime(), kind: "in", source: "popup" }] }));
      const shopper = await database.prisma.shopper.upsert({
        where: { shop_phone: { shop: DEMO_SHOP, phone: s.phone } },
        create: { shop: DEMO_SHOP, phone: s.phone, customerId: s.customerId, email: s.email, firstName: s.firstName, country: "US", consent: "granted", state, createdAt: at },
        update: {},
      });
      const evidence = await database.prisma.consent.count({ where: { shop: DEMO_SHOP, shopperId: shopper.id } });
      if (evidence === 0) {
        await database.prisma.consent.create({
          data: {
            shop: DEMO_SHOP,
            shopperId: shopper.id,
            phone: s.phone,
            status: "granted",
            source: "popup",
            collectedAt: at,
            disclosureText: "Signed up before the demo's run (seeded by npm run demo).",
            disclosureVersion: "demo-1",
          },
        });
      }
    }
    return database.description;
  } finally {
    await database.close();
  }
}
