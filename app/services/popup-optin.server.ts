import type { SqlDriver } from "../db/sql-driver.server";
import { consentStatus } from "../journey";
import { readJourneyState } from "../journey/state-schema";
import type { NormalizedPhone } from "../lib/phone";
import { runJourney, type ConsentEvidence } from "./journey-runner.server";
import { upsertShopper } from "./shoppers.server";
import { readShopSettings } from "./shops.server";

export interface PopupOptIn {
  shop: string;
  phone: NormalizedPhone;
  /** Shopify's logged_in_customer_id from the app proxy, when the shopper is signed in. */
  customerId: string | null;
  firstName: string | null;
  evidence: ConsentEvidence;
  now: Date;
}

export type PopupOptInResult =
  | { status: "subscribed" | "already_subscribed"; shopperId: string; customerId: string | null }
  | { status: "shop_not_installed" };

/**
 * A storefront sign-up: stores the consent with its evidence (time, IP, user agent, page,
 * the exact disclosure and its version) and starts the shopper's journey, which schedules
 * the welcome text. One transaction; a repeat sign-up changes nothing.
 */
export async function recordPopupOptIn(sql: SqlDriver, optIn: PopupOptIn): Promise<PopupOptInResult> {
  return sql.transaction(async (tx) => {
    const [shop] = await tx.query<{ settings: unknown; uninstalled_at: Date | null }>("SELECT settings, uninstalled_at FROM shop WHERE domain = $1", [
      optIn.shop,
    ]);
    if (!shop || shop.uninstalled_at) return { status: "shop_not_installed" };
    const shopper = await upsertShopper(tx, optIn.shop, {
      phone: optIn.phone.e164,
      phoneRegion: optIn.phone.region,
      customerId: optIn.customerId,
      firstName: optIn.firstName,
    });
    if (!shopper) throw new Error("a shopper with a phone always resolves");
    if (consentStatus(readJourneyState(shopper.state, shopper.country).consentLog).granted) {
      return { status: "already_subscribed", shopperId: shopper.id, customerId: optIn.customerId };
    }
    await runJourney(tx, {
      shop: optIn.shop,
      shopper,
      events: [{ type: "opted_in", at: optIn.now.getTime(), source: "popup" }],
      now: optIn.now,
      settings: readShopSettings(optIn.shop, shop.settings).journey,
      evidence: optIn.evidence,
    });
    return { status: "subscribed", shopperId: shopper.id, customerId: optIn.customerId };
  });
}
