-- Consent changes owed to Shopify, kept in the database with the change itself (issue #12, item 5):
-- a crash can no longer lose a STOP's sync. See docs/decisions/017-consent-sync-outbox.md.
-- CreateTable
CREATE TABLE "consent_sync" (
    "shop" TEXT NOT NULL,
    "shopper_id" UUID NOT NULL,
    "customer_id" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "opt_in_level" TEXT,
    "consent_updated_at" TIMESTAMPTZ(3) NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_error" TEXT,
    "claimed_by" TEXT,
    "claimed_at" TIMESTAMPTZ(3),
    "synced_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "consent_sync_pkey" PRIMARY KEY ("shop","shopper_id")
);

-- CreateIndex
CREATE INDEX "consent_sync_status_next_attempt_at_idx" ON "consent_sync"("status", "next_attempt_at");

