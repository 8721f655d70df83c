-- Pooled discount codes (issue #23; docs/decisions/025-pooled-discount-codes.md): one Shopify code
-- discount per busy offer and hour holds many single-use codes, added 250 at a time, and a text
-- takes the next free one. The tables are schema.prisma's (npm run db:migration).
-- CreateTable
CREATE TABLE "discount_pool" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "shop" TEXT NOT NULL,
    "flow" TEXT NOT NULL,
    "percent" INTEGER NOT NULL,
    "hours" INTEGER NOT NULL,
    "usable_until" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "shopify_id" TEXT,
    "filling_since" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "discount_pool_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "discount_pool_batch" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "shop" TEXT NOT NULL,
    "pool_id" UUID NOT NULL,
    "codes" TEXT[],
    "taken" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "discount_pool_batch_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "discount_pool_shop_flow_percent_hours_usable_until_key" ON "discount_pool"("shop", "flow", "percent", "hours", "usable_until");

-- CreateIndex
CREATE INDEX "discount_pool_batch_pool_id_idx" ON "discount_pool_batch"("pool_id");

-- AddForeignKey
ALTER TABLE "discount_pool_batch" ADD CONSTRAINT "discount_pool_batch_pool_id_fkey" FOREIGN KEY ("pool_id") REFERENCES "discount_pool"("id") ON DELETE CASCADE ON UPDATE CASCADE;

