-- Billing through Shopify (issue #20): the shop's plan as Shopify last told us, and the usage
-- charges owed for texts sent on the app's Twilio account, an outbox written in the transaction
-- that marks each text sent. No shopper data: a charge names its message, not the shopper.
-- See docs/decisions/023-billing.md.
-- CreateTable
CREATE TABLE "billing_plan" (
    "shop" TEXT NOT NULL,
    "subscription_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "test" BOOLEAN NOT NULL DEFAULT false,
    "line_item_id" TEXT,
    "capped_amount" DECIMAL(12,2),
    "balance_used" DECIMAL(12,2),
    "currency" TEXT NOT NULL,
    "current_period_end" TIMESTAMPTZ(3),
    "spending_limit_at" TIMESTAMPTZ(3),
    "shopify_updated_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "billing_plan_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "usage_charge" (
    "message_id" UUID NOT NULL,
    "shop" TEXT NOT NULL,
    "segments" INTEGER NOT NULL,
    "amount" DECIMAL(12,2) NOT NULL,
    "currency" TEXT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_error" TEXT,
    "claimed_by" TEXT,
    "claimed_at" TIMESTAMPTZ(3),
    "usage_record_id" TEXT,
    "charged_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "usage_charge_pkey" PRIMARY KEY ("message_id")
);

-- CreateIndex
CREATE INDEX "usage_charge_status_next_attempt_at_idx" ON "usage_charge"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "usage_charge_shop_status_created_at_idx" ON "usage_charge"("shop", "status", "created_at");

