import type { z } from "zod";
import type { SqlDriver, SqlTx } from "../db/sql-driver.server";
import { log } from "../lib/log.server";
import { identityLockKeys, type ShopperIdentity } from "../services/shoppers.server";
import { readShopSettings, type ShopSettings } from "../services/shops.server";
import { handleCheckout, mapCheckout } from "./handle-checkout.server";
import { handleOrder, mapOrder } from "./handle-order.server";
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
  /** Whether the receipt statement took the topic's identityLocks (for upsertShopper). */
  identityLocked: boolean;
}

interface TopicHandler<S extends z.ZodType, W = z.infer<S>> {
  schema: S;
  /** Compliance topics must be honoured even after uninstall. */
  evenIfUninstalled?: boolean;
  /**
   * What the handler works on, made from the parsed payload once per webhook, before the receipt
   * (pure). A checkout is mapped to its shopper's identity and journey here, so its identity
   * locks and its handler share one mapping: one phone parse per webhook, not two (issue #23).
   */
  prepare(payload: z.infer<S>): W;
  /**
   * The advisory locks of the shopper the handler will upsert (identityLockKeys), when the
   * payload alone names them: taken in the receipt statement, a round trip fewer than
   * upsertShopper taking them itself. Its next statement sees what their last holder committed
   * (for an order, the checkout it then looks up).
   */
  identityLocks?(shop: string, work: W): bigint[];
  handle(tx: SqlTx, ctx: IngestContext, work: W): Promise<string>;
}

/** A topic whose handler takes the parsed payload as it is. */
const topic = <S extends z.ZodType>(handler: Omit<TopicHandler<S>, "prepare">): TopicHandler<S> => ({ ...handler, prepare: (payload) => payload });
/**
 * A topic mapped once to its shopper's identity and journey (a checkout, an order), whose
 * identity locks are taken in the receipt statement. For an order that is before handleOrder
 * looks up its checkout, so the look-up sees a checkout of theirs that another transaction was
 * ingesting meanwhile (webhooks.order-racing-checkout.test.ts).
 */
const journeyTopic = <S extends z.ZodType, W extends { journey: { identity: ShopperIdentity } }>(
  schema: S,
  prepare: (payload: z.infer<S>) => W,
  handle: TopicHandler<S, W>["handle"],
): TopicHandler<S, W> => ({ schema, prepare, identityLocks: (shop, work) => identityLockKeys(shop, work.journey.identity), handle });
const CHECKOUT_TOPIC = journeyTopic(CheckoutPayloadSchema, mapCheckout, handleCheckout);

/**
 * Topics as authenticate.webhook reports them (upper snake case). Every topic here is
 * acknowledged through the webhook inbox and ingested by the worker (ADR 024): adding one is a
 * line here (its payload schema and handler) and a route file calling handleWebhookRequest.
 */
const TOPIC_HANDLERS = {
  CHECKOUTS_CREATE: CHECKOUT_TOPIC,
  CHECKOUTS_UPDATE: CHECKOUT_TOPIC,
  ORDERS_CREATE: journeyTopic(OrderPayloadSchema, mapOrder, handleOrder),
  SHOP_UPDATE: topic({ schema: ShopUpdatePayloadSchema, handle: handleShopUpdate }),
  // Billing (ADR 023): kept after uninstall too, so the plan's end is recorded.
  APP_SUBSCRIPTIONS_UPDATE: topic({ schema: AppSubscriptionPayloadSchema, evenIfUninstalled: true, handle: handleAppSubscriptionUpdate }),
  APP_UNINSTALLED: topic({ schema: AppUninstalledPayloadSchema, handle: (tx, ctx) => handleUninstalled(tx, ctx) }),
  CUSTOMERS_DATA_REQUEST: topic({ schema: CustomersDataRequestPayloadSchema, evenIfUninstalled: true, handle: handleCustomerDataRequest }),
  CUSTOMERS_REDACT: topic({ schema: CustomersRedactPayloadSchema, evenIfUninstalled: true, handle: handleCustomerRedact }),
  SHOP_REDACT: topic({ schema: ShopRedactPayloadSchema, evenIfUninstalled: true, handle: (tx, ctx) => handleShopRedact(tx, ctx) }),
} satisfies Record<string, TopicHandler<z.ZodType, unknown>>;

const handlerOf = (topic: WebhookTopic): TopicHandler<z.ZodType, unknown> => TOPIC_HANDLERS[topic];

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
  const parsed = handlerOf(topic).schema.safeParse(payload);
  if (parsed.success) return { ok: true, payload: parsed.data };
  return { ok: false, issues: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".")}: ${i.message}`) };
}

/**
 * Ingests one verified webhook: dedupes on the webhook id, parses the payload, and stores
 * it and its journey consequences in a single transaction. Independent of the transport:
 * the webhook inbox's drain calls `applyWebhooks` the same way (app/webhooks/drain-inbox.server.ts),
 * and a Pub/Sub or EventBridge consumer would write to that inbox.
 */
export async function ingestWebhook(sql: SqlDriver, input: WebhookInput): Promise<IngestOutcome> {
  const parsed = parseWebhook(input.topic, input.payload);
  if (!parsed.ok) {
    log.warn("webhook payload rejected", { shop: input.shop, topic: input.topic, webhookId: input.webhookId, issues: parsed.issues });
    return { status: 400, outcome: "invalid_payload", issues: parsed.issues };
  }
  const [outcome] = await sql.transaction((tx) => applyWebhooks(tx, [{ ...input, payload: parsed.payload }]));
  log.info("webhook ingested", { shop: input.shop, topic: input.topic, webhookId: input.webhookId, outcome });
  return { status: 200, outcome: outcome! };
}

/**
 * The ingest of parsed payloads (`payload` as parseWebhook returned it), in order, inside the
 * caller's transaction: claims their webhook ids, then runs each topic's handler. Returns each
 * one's outcome ("duplicate", "ignored_not_installed", or the handler's own).
 */
export async function applyWebhooks(tx: SqlTx, inputs: WebhookInput[]): Promise<string[]> {
  // Raw SQL on one connection: this is the hot path, and each Prisma call's client overhead
  // costs several times the statement itself (docs/decisions/003).
  // Claims the webhook ids and reads their shops in one round trip for all of them (the drain
  // ingests a group of webhooks in one transaction, ADR 024); a duplicate id is a no-op.
  // Only a shop we hold gets a receipt: a webhook for any other changes nothing, so it needs
  // no dedupe, and an erased shop leaves no row behind (docs/decisions/016-privacy-erasure.md).
  // The same statement takes the identity locks of the claimed webhooks' shoppers, after their
  // receipts (the sort reads every claimed row first), all at once and in key order, so two
  // transactions can't deadlock on them.
  const work = inputs.map((input) => handlerOf(input.topic).prepare(input.payload));
  const locks = inputs.flatMap((input, i) => (handlerOf(input.topic).identityLocks?.(input.shop, work[i]) ?? []).map((key) => [String(key), i + 1]));
  const receipts = await tx.query<{ claimed: boolean; installed: boolean; uninstalled_at: Date | null; settings: unknown; locks: string }>(
    `WITH w AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS w (webhook_id, shop, topic, i)),
     known AS (SELECT domain, uninstalled_at, settings FROM shop WHERE domain IN (SELECT shop FROM w)),
     claimed AS (
       INSERT INTO webhook_receipt (webhook_id, shop, topic) SELECT w.webhook_id, w.shop, w.topic FROM w JOIN known ON known.domain = w.shop ORDER BY w.i
       ON CONFLICT (webhook_id) DO NOTHING RETURNING webhook_id),
     locked AS (
       SELECT count(pg_advisory_xact_lock(k.key)) AS n
       FROM (SELECT DISTINCT l.key FROM unnest($4::bigint[], $5::bigint[]) AS l (key, i) JOIN w ON w.i = l.i JOIN claimed c ON c.webhook_id = w.webhook_id ORDER BY l.key) AS k)
     SELECT w.webhook_id IN (SELECT webhook_id FROM claimed) AS claimed, s.domain IS NOT NULL AS installed, s.uninstalled_at, s.settings, (SELECT n FROM locked) AS locks
     FROM w LEFT JOIN known s ON s.domain = w.shop
     ORDER BY w.i`,
    [inputs.map((i) => i.webhookId), inputs.map((i) => i.shop), inputs.map((i) => i.topic), locks.map(([key]) => key), locks.map(([, i]) => i)],
  );
  const outcomes: string[] = [];
  for (const [i, input] of inputs.entries()) outcomes.push(await applyReceipted(tx, input, work[i], receipts[i]!)); // one row per input, in order
  return outcomes;
}

async function applyReceipted(tx: SqlTx, input: WebhookInput, work: unknown, receipt: { claimed: boolean; installed: boolean; uninstalled_at: Date | null; settings: unknown }): Promise<string> {
  const handler = handlerOf(input.topic);
  const { claimed, installed, uninstalled_at, settings } = receipt;
  if (!installed) return "ignored_not_installed";
  if (!claimed) return "duplicate";
  if (uninstalled_at && !handler.evenIfUninstalled) return "ignored_not_installed";
  const ctx = { shop: input.shop, webhookId: input.webhookId, now: input.now, settings: readShopSettings(input.shop, settings), identityLocked: handler.identityLocks !== undefined };
  return handler.handle(tx, ctx, work);
}
