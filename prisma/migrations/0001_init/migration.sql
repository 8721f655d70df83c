
-- CreateTable
CREATE TABLE "session" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "is_online" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" TIMESTAMPTZ(3),
    "access_token" TEXT NOT NULL,
    "user_id" BIGINT,
    "first_name" TEXT,
    "last_name" TEXT,
    "email" TEXT,
    "account_owner" BOOLEAN NOT NULL DEFAULT false,
    "locale" TEXT,
    "collaborator" BOOLEAN DEFAULT false,
    "email_verified" BOOLEAN DEFAULT false,
    "refresh_token" TEXT,
    "refresh_token_expires" TIMESTAMPTZ(3),

    CONSTRAINT "session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shop" (
    "domain" TEXT NOT NULL,
    "name" TEXT,
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "installed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalled_at" TIMESTAMPTZ(3),
    "settings" JSONB NOT NULL DEFAULT '{}',
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "shop_pkey" PRIMARY KEY ("domain")
);

-- CreateTable
CREATE TABLE "shopper" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "shop" TEXT NOT NULL,
    "phone" TEXT,
    "customer_id" TEXT,
    "email" TEXT,
    "first_name" TEXT,
    "country" TEXT,
    "stage" TEXT NOT NULL DEFAULT 'awareness',
    "consent" TEXT NOT NULL DEFAULT 'none',
    "state" JSONB NOT NULL DEFAULT '{}',
    "last_order_at" TIMESTAMPTZ(3),
    "order_count" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "shopper_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "consent" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "shop" TEXT NOT NULL,
    "shopper_id" UUID NOT NULL,
    "phone" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "collected_at" TIMESTAMPTZ(3) NOT NULL,
    "ip" TEXT,
    "user_agent" TEXT,
    "page_url" TEXT,
    "disclosure_text" TEXT,
    "disclosure_version" TEXT,
    "webhook_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "consent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "checkout" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "shop" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "cart_token" TEXT,
    "shopper_id" UUID,
    "email" TEXT,
    "phone" TEXT,
    "abandoned_checkout_url" TEXT,
    "total_price" DECIMAL(14,2),
    "currency" TEXT,
    "presentment_currency" TEXT,
    "line_items" JSONB NOT NULL DEFAULT '[]',
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "last_activity_at" TIMESTAMPTZ(3) NOT NULL,
    "completed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "checkout_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "order" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "shop" TEXT NOT NULL,
    "shopify_order_id" TEXT NOT NULL,
    "name" TEXT,
    "shopper_id" UUID,
    "checkout_token" TEXT,
    "cart_token" TEXT,
    "total_price" DECIMAL(14,2) NOT NULL,
    "currency" TEXT NOT NULL,
    "presentment_total" DECIMAL(14,2),
    "presentment_currency" TEXT,
    "placed_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "journey_event" (
    "id" BIGSERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "shopper_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',
    "webhook_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "journey_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "scheduled_message" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "shop" TEXT NOT NULL,
    "shopper_id" UUID NOT NULL,
    "dedupe_key" TEXT NOT NULL,
    "flow" TEXT NOT NULL,
    "step" INTEGER NOT NULL,
    "checkout_token" TEXT,
    "order_id" TEXT,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "reason" TEXT,
    "discount" JSONB,
    "body" TEXT,
    "variant" INTEGER,
    "segments" INTEGER,
    "encoding" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "claimed_at" TIMESTAMPTZ(3),
    "claimed_by" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "provider_sid" TEXT,
    "delivery_status" TEXT,
    "delivered_at" TIMESTAMPTZ(3),
    "error_code" INTEGER,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "scheduled_message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_receipt" (
    "webhook_id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_receipt_pkey" PRIMARY KEY ("webhook_id")
);

-- CreateTable
CREATE TABLE "data_export" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "shop" TEXT NOT NULL,
    "request_id" TEXT,
    "customer" JSONB NOT NULL,
    "payload" JSONB NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "data_export_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "discount_code" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "shop" TEXT NOT NULL,
    "message_id" UUID NOT NULL,
    "shopper_id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "percent" INTEGER NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "shopify_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "discount_code_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "short_link" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "message_id" UUID NOT NULL,
    "shopper_id" UUID NOT NULL,
    "target" TEXT NOT NULL,
    "clicks" INTEGER NOT NULL DEFAULT 0,
    "first_clicked_at" TIMESTAMPTZ(3),
    "last_clicked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "short_link_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "attribution" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "shop" TEXT NOT NULL,
    "order_id" UUID NOT NULL,
    "message_id" UUID NOT NULL,
    "shopper_id" UUID,
    "flow" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "touched_at" TIMESTAMPTZ(3) NOT NULL,
    "recovered" BOOLEAN NOT NULL,
    "revenue" DECIMAL(14,2) NOT NULL,
    "currency" TEXT NOT NULL,
    "presentment_revenue" DECIMAL(14,2),
    "presentment_currency" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "attribution_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "session_shop_idx" ON "session"("shop");

-- CreateIndex
CREATE INDEX "shopper_shop_stage_idx" ON "shopper"("shop", "stage");

-- CreateIndex
CREATE UNIQUE INDEX "shopper_shop_phone_key" ON "shopper"("shop", "phone");

-- CreateIndex
CREATE UNIQUE INDEX "shopper_shop_customer_id_key" ON "shopper"("shop", "customer_id");

-- CreateIndex
CREATE INDEX "consent_shop_shopper_id_collected_at_idx" ON "consent"("shop", "shopper_id", "collected_at");

-- CreateIndex
CREATE INDEX "checkout_shop_cart_token_idx" ON "checkout"("shop", "cart_token");

-- CreateIndex
CREATE INDEX "checkout_shop_shopper_id_idx" ON "checkout"("shop", "shopper_id");

-- CreateIndex
CREATE UNIQUE INDEX "checkout_shop_token_key" ON "checkout"("shop", "token");

-- CreateIndex
CREATE INDEX "order_shop_checkout_token_idx" ON "order"("shop", "checkout_token");

-- CreateIndex
CREATE INDEX "order_shop_shopper_id_placed_at_idx" ON "order"("shop", "shopper_id", "placed_at");

-- CreateIndex
CREATE UNIQUE INDEX "order_shop_shopify_order_id_key" ON "order"("shop", "shopify_order_id");

-- CreateIndex
CREATE INDEX "journey_event_shop_shopper_id_occurred_at_idx" ON "journey_event"("shop", "shopper_id", "occurred_at");

-- CreateIndex
CREATE INDEX "scheduled_message_status_due_at_idx" ON "scheduled_message"("status", "due_at");

-- CreateIndex
CREATE INDEX "scheduled_message_provider_sid_idx" ON "scheduled_message"("provider_sid");

-- CreateIndex
CREATE INDEX "scheduled_message_shop_sent_at_idx" ON "scheduled_message"("shop", "sent_at");

-- CreateIndex
CREATE INDEX "scheduled_message_shop_shopper_id_status_idx" ON "scheduled_message"("shop", "shopper_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "scheduled_message_shop_shopper_id_dedupe_key_key" ON "scheduled_message"("shop", "shopper_id", "dedupe_key");

-- CreateIndex
CREATE INDEX "webhook_receipt_shop_received_at_idx" ON "webhook_receipt"("shop", "received_at");

-- CreateIndex
CREATE INDEX "data_export_shop_requested_at_idx" ON "data_export"("shop", "requested_at");

-- CreateIndex
CREATE UNIQUE INDEX "discount_code_message_id_key" ON "discount_code"("message_id");

-- CreateIndex
CREATE INDEX "discount_code_shop_shopper_id_idx" ON "discount_code"("shop", "shopper_id");

-- CreateIndex
CREATE UNIQUE INDEX "discount_code_shop_code_key" ON "discount_code"("shop", "code");

-- CreateIndex
CREATE INDEX "short_link_shop_shopper_id_idx" ON "short_link"("shop", "shopper_id");

-- CreateIndex
CREATE UNIQUE INDEX "short_link_message_id_target_key" ON "short_link"("message_id", "target");

-- CreateIndex
CREATE UNIQUE INDEX "attribution_order_id_key" ON "attribution"("order_id");

-- CreateIndex
CREATE INDEX "attribution_shop_created_at_idx" ON "attribution"("shop", "created_at");

-- CreateIndex
CREATE INDEX "attribution_message_id_idx" ON "attribution"("message_id");

