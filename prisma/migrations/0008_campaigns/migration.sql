-- Campaigns (issue #19): one-off texts to an audience, beside the flows. Recipients are fanned
-- out to the outbox (scheduled_message) in one INSERT … SELECT, one row per shopper and campaign
-- (dedupe key campaign:<id>), and the dispatcher sends them under every guard.
-- See docs/decisions/021-campaigns.md.
-- CreateTable
CREATE TABLE "campaign" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "shop" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "audience" JSONB NOT NULL,
    "discount_percent" INTEGER,
    "discount_expiry_hours" INTEGER NOT NULL DEFAULT 72,
    "link" TEXT,
    "send_at" TIMESTAMPTZ(3),
    "local_time" TEXT,
    "smart_sending_hours" INTEGER NOT NULL DEFAULT 16,
    "control_percent" INTEGER NOT NULL DEFAULT 10,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "recipients" INTEGER,
    "left_out" JSONB,
    "fanned_out_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "campaign_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "campaign_shop_created_at_idx" ON "campaign"("shop", "created_at");

-- CreateIndex
CREATE INDEX "campaign_status_send_at_idx" ON "campaign"("status", "send_at");

-- AlterTable
ALTER TABLE "scheduled_message" ADD COLUMN "campaign_id" UUID;

-- CreateIndex
CREATE INDEX "scheduled_message_campaign_id_status_idx" ON "scheduled_message"("campaign_id", "status");
