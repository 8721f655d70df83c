import { z } from "zod";
import type { SqlTx } from "../db/sql-driver.server";
import type { IngestContext } from "../webhooks/ingest.server";
import { recordSubscription } from "./plan-state.server";

/**
 * app_subscriptions/update, as Shopify's webhook reference shows it
 * (https://shopify.dev/docs/api/webhooks?reference=toml#list-of-topics-app_subscriptions/update):
 * the subscription's gid, name, status, shop gid, times, currency and capped amount. It names no
 * line item and no balance; the admin load and the charge worker learn those from the Admin API.
 */
export const AppSubscriptionPayloadSchema = z.object({
  app_subscription: z.object({
    admin_graphql_api_id: z.string().regex(/^gid:\/\/shopify\/AppSubscription\/\d+$/),
    name: z.string().max(255),
    status: z.enum(["PENDING", "ACCEPTED", "ACTIVE", "DECLINED", "EXPIRED", "FROZEN", "CANCELLED"]),
    admin_graphql_api_shop_id: z.string().nullish(),
    created_at: z.iso.datetime({ offset: true }).nullish(),
    updated_at: z.iso.datetime({ offset: true }).nullish(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .nullish(),
    capped_amount: z
      .string()
      .regex(/^\d{1,9}(\.\d{1,4})?$/)
      .nullish(),
  }),
});
export type AppSubscriptionPayload = z.infer<typeof AppSubscriptionPayloadSchema>;

/**
 * Records the plan's new state. Approval (ACTIVE) or a higher cap lifts the holds and the texts
 * and charges that waited go again; a cancelled, declined or frozen plan holds the shop's texts.
 */
export async function handleAppSubscriptionUpdate(tx: SqlTx, ctx: IngestContext, payload: AppSubscriptionPayload): Promise<string> {
  const sub = payload.app_subscription;
  const lifted = await recordSubscription(
    tx,
    ctx.shop,
    {
      id: sub.admin_graphql_api_id,
      name: sub.name,
      status: sub.status,
      currency: sub.currency ?? null,
      cappedAmount: sub.capped_amount ?? null,
      updatedAt: sub.updated_at ? new Date(sub.updated_at) : null,
    },
    ctx.now,
  );
  return lifted ? "billing_plan_activated" : `billing_plan_${sub.status.toLowerCase()}`;
}
