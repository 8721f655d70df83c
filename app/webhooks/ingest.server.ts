import type { Prisma, PrismaClient } from "@prisma/client";
import type { z } from "zod";
import { log } from "../lib/log.server";
import { readShopSettings, type ShopSettings } from "../services/shops.server";
import { handleCheckout } from "./handle-checkout.server";
import { handleOrder } from "./handle-order.server";
import { handleCustomerDataRequest, handleCustomerRedact, handleShopRedact, handleUninstalled } from "./handle-shop-lifecycle.server";
import {
  CheckoutPayloadSchema,
  CustomersDataRequestPayloadSchema,
  CustomersRedactPayloadSchema,
  OrderPayloadSchema,
  ShopRedactPayloadSchema,
} from "./payloads";

type Tx = Prisma.TransactionClient;

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
  handle(tx: Tx, ctx: IngestContext, payload: z.infer<S>): Promise<string>;
}

const topic = <S extends z.ZodType>(handler: TopicHandler<S>) => handler;

/** Topics as authenticate.webhook reports them (upper snake case). */
export const TOPIC_HANDLERS = {
  CHECKOUTS_CREATE: topic({ schema: CheckoutPayloadSchema, handle: handleCheckout }),
  CHECKOUTS_UPDATE: topic({ schema: CheckoutPayloadSchema, handle: handleCheckout }),
  ORDERS_CREATE: topic({ schema: OrderPayloadSchema, handle: handleOrder }),
  APP_UNINSTALLED: topic({ schema: ShopRedactPayloadSchema.loose(), handle: (tx, ctx) => handleUninstalled(tx, ctx) }),
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

export type IngestOutcome =
  | { status: 200; outcome: string }
  | { status: 400; outcome: "invalid_payload"; issues: string[] };

/**
 * Ingests one verified webhook: dedupes on the webhook id, parses the payload, and stores
 * it and its journey consequences in a single transaction. Independent of the transport
 * (HTTPS here; Pub/Sub or EventBridge would call the same function).
 */
export async function ingestWebhook(prisma: PrismaClient, input: WebhookInput): Promise<IngestOutcome> {
  const handler: TopicHandler<z.ZodType> = TOPIC_HANDLERS[input.topic];
  const parsed = handler.schema.safeParse(input.payload);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".")}: ${i.message}`);
    log.warn("webhook payload rejected", { shop: input.shop, topic: input.topic, webhookId: input.webhookId, issues });
    return { status: 400, outcome: "invalid_payload", issues };
  }

  const outcome = await prisma.$transaction(async (tx) => {
    const claimed = await tx.$executeRaw`
      INSERT INTO webhook_receipt (webhook_id, shop, topic, outcome) VALUES (${input.webhookId}, ${input.shop}, ${input.topic}, 'processing')
      ON CONFLICT (webhook_id) DO NOTHING`;
    if (claimed === 0) return "duplicate";

    const shop = await tx.shop.findUnique({ where: { domain: input.shop }, select: { uninstalledAt: true, settings: true } });
    const result =
      !shop || (shop.uninstalledAt && !handler.evenIfUninstalled)
        ? "ignored_not_installed"
        : await handler.handle(
            tx,
            { shop: input.shop, webhookId: input.webhookId, now: input.now, settings: readShopSettings(shop.settings) },
            parsed.data,
          );
    await tx.webhookReceipt.update({ where: { webhookId: input.webhookId }, data: { outcome: result.slice(0, 100) } });
    return result;
  });
  log.info("webhook ingested", { shop: input.shop, topic: input.topic, webhookId: input.webhookId, outcome });
  return { status: 200, outcome };
}
