import type { z } from "zod";
import type { SqlDriver, SqlTx } from "../db/sql-driver.server";
import { log } from "../lib/log.server";
import { readShopSettings, type ShopSettings } from "../services/shops.server";
import { handleCheckout } from "./handle-checkout.server";
import { handleOrder } from "./handle-order.server";
import { handleShopUpdate } from "./handle-shop-update.server";
import { handleCustomerDataRequest, handleCustomerRedact, handleShopRedact, handleUninstalled } from "./handle-shop-lifecycle.server";
import {
  AppUninstalledPayloadSchema,
  CheckoutPayloadSchema,
  CustomersDataRequestPayloadSchema,
  CustomersRedactPayloadSchema,
  OrderPayloadSchema,
  ShopRedactPayloadSchema,
  ShopUpdatePayloadSchema,
} from "./payloads";
import { AppSubscriptionPayloadSchema, handleAppSubscriptionUpdate } from "../billing/subscription-webhook.server";

export interface IngestContext {
  shop: string;
  webhookId: string;
  now: Date;
  settings: ShopSettings;
}

interface TopicHandler<S extends z.ZodType> {
  schema: S;
  /** Compliance topics must be honoured even after uninstall. */
  evenIfUninstalled?: boolean;
  handle(tx: SqlTx, ctx: IngestContext, payload: z.infer<S>): Promise<string>;
}

const topic = <S extends z.ZodType>(handler: TopicHandler<S>) => handler;

/**
 * Topics as authenticate.webhook reports them (upper snake case). Every topic here is
 * acknowledged through the webhook inbox and ingested by the worker (ADR 024): adding one is a
 * line here (its payload schema and handler) and a route file calling handleWebhookRequest.
 */
const TOPIC_HANDLERS = {
  CHECKOUTS_CREATE: topic({ schema: CheckoutPayloadSchema, handle: handleCheckout }),
  CHECKOUTS_UPDATE: topic({ schema: CheckoutPayloadSchema, handle: handleCheckout }),
  ORDERS_CREATE: topic({ schema: OrderPayloadSchema, handle: handleOrder }),
  SHOP_UPDATE: topic({ schema: ShopUpdatePayloadSchema, handle: handleShopUpdate }),
  // Billing (ADR 023): kept after uninstall too, so the plan's end is recorded.
  APP_SUBSCRIPTIONS_UPDATE: topic({ schema: AppSubscriptionPayloadSchema, evenIfUninstalled: true, handle: handleAppSubscriptionUpdate }),
  APP_UNINSTALLED: topic({ schema: AppUninstalledPayloadSchema, handle: (tx, ctx) => handleUninstalled(tx, ctx) }),
  CUSTOMERS_DATA_REQUEST: topic({ schema: CustomersDataRequestPayloadSchema, evenIfUninstalled: true, handle: handleCustomerDataRequest }),
  CUSTOMERS_REDACT: topic({ schema: CustomersRedactPayloadSchema, evenIfUninstalled: true, handle: handleCustomerRedact }),
  SHOP_REDACT: topic({ schema: ShopRedactPayloadSchema, evenIfUninstalled: true, handle: (tx, ctx) => handleShopRedact(tx, ctx) }),
} satisfies Record<string, TopicHandler<z.ZodType>>;

export type WebhookTopic = keyof typeof TOPIC_HANDLERS;

export function isKnownTopic(value: string): value is WebhookTopic {
  return Object.hasOwn(TOPIC_HANDLERS, value);
}

export interface WebhookInput {
  shop: string;
  topic: WebhookTopic;
  webhookId: string;
  payload: unknown;
  now: Date;
}

export type IngestOutcome = { status: 200; outcome: string } | { status: 400; outcome: "invalid_payload"; issues: string[] };

export type ParsedWebhook = { ok: true; payload: unknown } | { ok: false; issues: string[] };

/** Checks a payload against its topic's schema (unknown fields ignored). Pure. */
export function parseWebhook(topic: WebhookTopic, payload: unknown): ParsedWebhook {
  const parsed = (TOPIC_HANDLERS[topic] as TopicHandler<z.ZodType>).schema.safeParse(payload);
  if (parsed.success) return { ok: true, payload: parsed.data };
  return { ok: false, issues: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".")}: ${i.message}`) };
}

/**
 * Ingests one verified webhook: dedupes on the webhook id, parses the payload, and stores
 * it and its journey consequences in a single transaction. Independent of the transport:
 * the webhook inbox's drain calls `applyWebhook` the same way (app/webhooks/drain-inbox.server.ts),
 * and a Pub/Sub or EventBridge consumer would write to that inbox.
 */
export async function ingestWebhook(sql: SqlDriver, input: WebhookInput): Promise<IngestOutcome> {
  const parsed = parseWebhook(input.topic, input.payload);
  if (!parsed.ok) {
    log.warn("webhook payload rejected", { shop: input.shop, topic: input.topic, webhookId: input.webhookId, issues: parsed.issues });
    return { status: 400, outcome: "invalid_payload", issues: parsed.issues };
  }
  const outcome = await sql.transaction((tx) => applyWebhook(tx, input, parsed.payload));
  log.info("webhook ingested", { shop: input.shop, topic: input.topic, webhookId: input.webhookId, outcome });
  return { status: 200, outcome };
}

/**
 * The ingest of a parsed payload inside the caller's transaction: claims the webhook id, then
 * runs the topic's handler. Returns the outcome ("duplicate", "ignored_not_installed", or the
 * handler's own).
 */
export async function applyWebhook(tx: SqlTx, input: WebhookInput, payload: unknown): Promise<string> {
  const handler: TopicHandler<z.ZodType> = TOPIC_HANDLERS[input.topic];
  // Raw SQL on one connection: this is the hot path, and each Prisma call's client overhead
  // costs several times the statement itself (docs/decisions/003).
  // Claims the webhook id and reads the shop in one round trip; a duplicate id is a no-op.
  // Only a shop we hold gets a receipt: a webhook for any other changes nothing, so it needs
  // no dedupe, and an erased shop leaves no row behind (docs/decisions/016-privacy-erasure.md).
  const [receipt] = await tx.query<{ claimed: boolean; installed: boolean; uninstalled_at: Date | null; settings: unknown }>(
    `WITH known AS (SELECT domain, uninstalled_at, settings FROM shop WHERE domain = $2),
     claimed AS (
       INSERT INTO webhook_receipt (webhook_id, shop, topic) SELECT $1, $2, $3 FROM known
       ON CONFLICT (webhook_id) DO NOTHING RETURNING webhook_id)
     SELECT EXISTS (SELECT 1 FROM claimed) AS claimed, s.domain IS NOT NULL AS installed, s.uninstalled_at, s.settings
     FROM (VALUES (1)) AS one LEFT JOIN known s ON true`,
    [input.webhookId, input.shop, input.topic],
  );
  const { claimed, installed, uninstalled_at, settings } = receipt!; // the VALUES row makes one row
  if (!installed) return "ignored_not_installed";
  if (!claimed) return "duplicate";
  if (uninstalled_at && !handler.evenIfUninstalled) return "ignored_not_installed";
  const ctx = { shop: input.shop, webhookId: input.webhookId, now: input.now, settings: readShopSettings(input.shop, settings) };
  return handler.handle(tx, ctx, payload);
}
