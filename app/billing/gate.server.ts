import type { Session } from "@shopify/shopify-api";
import { isDevelopmentStore, readSubscription, type ShopifySubscription } from "../adapters/shopify-billing.server";
import type { AdminApiClient } from "../adapters/shopify-admin.server";
import { clock } from "../clock.server";
import { database } from "../db.server";
import { billingConfig, ownTwilioAccount } from "./from-env.server";
import { billingPlans, planFor, planRequired } from "./plan";
import { readPlan, recordSubscription } from "./plan-state.server";

/** What the gate needs of `authenticate.admin(request)`: the library's billing helpers, typed loosely so any plan names fit. */
export interface GateContext {
  session: Pick<Session, "shop">;
  admin: AdminApiClient;
  billing: {
    require(options: { plans: string[]; isTest?: boolean; onFailure: (error: unknown) => Promise<Response> }): Promise<{ appSubscriptions: unknown[] }>;
    request(options: { plan: string; isTest?: boolean }): Promise<never>;
  };
}

/**
 * The admin's billing gate (docs/decisions/023-billing.md). A shop that needs a plan and has no
 * active one recorded is checked with Shopify (the library's billing.require); without one there,
 * billing.request creates the subscription (appSubscriptionCreate with the usage line item and
 * capped amount) and throws the redirect out of the iframe to Shopify's approval page. An active
 * subscription Shopify reports (the merchant just approved it) is recorded, which wakes held texts.
 * Development stores get test charges. Returns at once when billing is off or the plan is active.
 */
export async function requireBillingPlan(context: GateContext): Promise<void> {
  const config = billingConfig();
  if (!config) return;
  const shop = context.session.shop;
  const { sql } = await database();
  const [row] = await sql.query<{ settings: unknown }>(`SELECT settings FROM shop WHERE domain = $1`, [shop]);
  const own = ownTwilioAccount(row?.settings);
  if (!planRequired(config, own)) return;
  if ((await readPlan(sql, shop))?.status === "ACTIVE") return;

  const isTest = await isDevelopmentStore(context.admin);
  const check = await context.billing.require({
    plans: Object.keys(billingPlans(config)),
    isTest,
    onFailure: () => context.billing.request({ plan: planFor(own), isTest }),
  });
  const subscriptions = (check.appSubscriptions as Parameters<typeof readSubscription>[0][]).map(readSubscription);
  const active: ShopifySubscription | undefined = subscriptions.find((s) => s.status === "ACTIVE") ?? subscriptions[0];
  if (active) await sql.transaction((tx) => recordSubscription(tx, shop, active, clock.now()));
}
