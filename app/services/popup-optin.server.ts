import { queueConsentSync } from "../consent-sync/queue.server";
import type { SqlDriver, SqlTx } from "../db/sql-driver.server";
import { consentStatus } from "../journey";
import { readJourneyState } from "../journey/state-schema";
import type { NormalizedPhone } from "../lib/phone";
import { runJourney, runJourneyForShopper, type ConsentEvidence } from "./journey-runner.server";
import { upsertShopper, type LockedShopper } from "./shoppers.server";
import { applyStorefrontEvents } from "./storefront-journey.server";
import { tieVisitor } from "../pixel/visitors.server";
import { readShopSettings } from "./shops.server";

export interface PopupOptIn {
  shop: string;
  phone: NormalizedPhone;
  /** Shopify's logged_in_customer_id from the app proxy, when the shopper is signed in. */
  customerId: string | null;
  firstName: string | null;
  /** The web pixel's client id for this browser: its storefront events become the shopper's. */
  clientId?: string | null;
  evidence: ConsentEvidence;
  now: Date;
}

export type PopupOptInResult = { status: "subscribed" | "already_subscribed" | "pending_confirmation"; shopperId: string; customerId: string | null } | { status: "shop_not_installed" };

/**
 * A storefront sign-up: stores the consent with its evidence (time, IP, user agent, page,
 * the exact disclosure and its version) and starts the shopper's journey, which schedules
 * the welcome text, and queues the subscription for Shopify (a single opt-in; with double
 * opt-in that waits for the confirming "Y"). One transaction; a repeat sign-up changes nothing.
 */
export async function recordPopupOptIn(sql: SqlDriver, optIn: PopupOptIn): Promise<PopupOptInResult> {
  return sql.transaction(async (tx) => {
    const [shop] = await tx.query<{ settings: unknown; uninstalled_at: Date | null }>("SELECT settings, uninstalled_at FROM shop WHERE domain = $1", [optIn.shop]);
    if (!shop || shop.uninstalled_at) return { status: "shop_not_installed" };
    const shopper = await upsertShopper(tx, optIn.shop, {
      phone: optIn.phone.e164,
      phoneRegion: optIn.phone.region,
      customerId: optIn.customerId,
      firstName: optIn.firstName,
    });
    if (!shopper) throw new Error("a shopper with a phone always resolves");
    if (consentStatus(readJourneyState(shopper.state, shopper.country).consentLog).granted) {
      await tieSignUpToVisitor(tx, optIn, shopper.id);
      return { status: "already_subscribed", shopperId: shopper.id, customerId: optIn.customerId };
    }
    const journey = readShopSettings(optIn.shop, shop.settings).journey;
    if (journey.doubleOptIn) {
      await requestConfirmation(tx, optIn, shopper.id);
      await tieSignUpToVisitor(tx, optIn, shopper.id);
      return { status: "pending_confirmation", shopperId: shopper.id, customerId: optIn.customerId };
    }
    await runJourney(tx, {
      shop: optIn.shop,
      shopper,
      events: [{ type: "opted_in", at: optIn.now.getTime(), source: "popup" }],
      now: optIn.now,
      settings: journey,
      evidence: optIn.evidence,
    });
    await queueConsentSync(tx, optIn.shop, shopper.id, { state: "SUBSCRIBED", optInLevel: "SINGLE_OPT_IN", at: optIn.now });
    await tieSignUpToVisitor(tx, optIn, shopper.id);
    return { status: "subscribed", shopperId: shopper.id, customerId: optIn.customerId };
  });
}

/**
 * The browser that signed up is this shopper's from now on: the pixel's later batches feed
 * their journey, and what it saw before the sign-up (kept a few hours) is fed now, after the
 * sign-up's own journey run (it re-reads the state that run wrote). Issue #18, item 4.
 */
async function tieSignUpToVisitor(tx: SqlTx, optIn: PopupOptIn, shopperId: string) {
  if (!optIn.clientId) return;
  const kept = await tieVisitor(tx, optIn.shop, optIn.clientId, shopperId, optIn.now);
  await applyStorefrontEvents(tx, { shop: optIn.shop, shopperId, events: kept, now: optIn.now });
}

/**
 * Double opt-in: keep the evidence as a pending consent and queue the one text that asks for
 * the confirming "Y". The shopper counts as subscribed only once that reply arrives
 * (confirmPendingOptIn). One confirmation text per shopper per day.
 */
async function requestConfirmation(tx: SqlTx, optIn: PopupOptIn, shopperId: string) {
  const ev = optIn.evidence;
  await tx.query(
    `INSERT INTO consent (shop, shopper_id, phone, status, source, collected_at, ip, user_agent, page_url, disclosure_text, disclosure_version)
     VALUES ($1, $2, $3, 'pending', 'popup', $4, $5, $6, $7, $8, $9)`,
    [optIn.shop, shopperId, optIn.phone.e164, optIn.now, ev.ip, ev.userAgent, ev.pageUrl, ev.disclosureText, ev.disclosureVersion],
  );
  await tx.query(
    `INSERT INTO scheduled_message (shop, shopper_id, dedupe_key, flow, step, due_at, status, updated_at)
     VALUES ($1, $2, $3, 'confirm_optin', 1, $4, 'scheduled', now())
     ON CONFLICT (shop, shopper_id, dedupe_key) DO NOTHING`,
    [optIn.shop, shopperId, `confirm_optin:${optIn.now.toISOString().slice(0, 10)}`, optIn.now],
  );
  await tx.query("UPDATE shopper SET consent = 'pending', updated_at = now() WHERE shop = $1 AND id = $2 AND consent <> 'granted'", [optIn.shop, shopperId]);
}

/**
 * The shopper replied Y: the latest pending sign-up (within 7 days) becomes consent, with
 * its original evidence, dated now. A storefront sign-up keeps its disclosure, IP and page; a
 * keyword sign-up (keyword-signup.server.ts) its text, "keyword:<WORD>" and message SID.
 * Returns false when there was nothing pending.
 */
export async function confirmPendingOptIn(tx: SqlTx, shop: string, shopper: LockedShopper, now: Date): Promise<boolean> {
  const [pending] = await tx.query<Record<string, string | null>>(
    `UPDATE consent SET status = 'confirmed'
     WHERE id = (SELECT id FROM consent WHERE shop = $1 AND shopper_id = $2 AND status = 'pending' AND collected_at > $3
                 ORDER BY collected_at DESC LIMIT 1)
     RETURNING source, ip, user_agent, page_url, disclosure_text, disclosure_version, message_text, matched_rule, message_sid`,
    [shop, shopper.id, new Date(now.getTime() - 7 * 86_400_000)],
  );
  if (!pending) return false;
  const byText = pending.source === "keyword";
  await runJourneyForShopper(tx, shop, shopper, [{ type: "opted_in", at: now.getTime(), source: byText ? "sms" : "popup" }], now, {
    evidence: {
      ip: pending.ip ?? null,
      userAgent: pending.user_agent ?? null,
      pageUrl: pending.page_url ?? null,
      disclosureText: pending.disclosure_text ?? null,
      disclosureVersion: pending.disclosure_version ?? null,
    },
    ...(byText ? { reply: { messageText: pending.message_text ?? "", matchedRule: pending.matched_rule ?? "keyword", messageSid: pending.message_sid ?? null } } : {}),
  });
  return true;
}
