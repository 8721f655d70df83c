-- A real install (issue #11): the shop's own details from Shopify, the re-auth flag for a refused
-- refresh token, where an order came from, and the resumable order-history import.
-- AlterTable
ALTER TABLE "shop" ADD COLUMN     "contact_email" TEXT,
ADD COLUMN     "country" TEXT,
ADD COLUMN     "details_at" TIMESTAMPTZ(3),
ADD COLUMN     "reauth_needed_at" TIMESTAMPTZ(3),
ADD COLUMN     "reauth_reason" TEXT;

-- AlterTable
ALTER TABLE "order" ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'webhook';

-- CreateTable
CREATE TABLE "order_import" (
    "shop" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "since" TIMESTAMPTZ(3) NOT NULL,
    "bulk_operation_id" TEXT,
    "result_url" TEXT,
    "lines_done" INTEGER NOT NULL DEFAULT 0,
    "orders_imported" INTEGER NOT NULL DEFAULT 0,
    "orders_expected" INTEGER,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "claimed_by" TEXT,
    "claimed_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "order_import_pkey" PRIMARY KEY ("shop")
);

-- CreateIndex
CREATE INDEX "order_import_status_updated_at_idx" ON "order_import"("status", "updated_at");

