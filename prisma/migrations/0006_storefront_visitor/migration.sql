-- Storefront visitors seen through the web pixel (issue #18, item 4): the pixel's client id tied
-- to a known shopper, or, for a visitor not yet known, their last few storefront events, kept a
-- few hours and then dropped by the worker. See docs/decisions/019-web-pixel.md.
-- CreateTable
CREATE TABLE "storefront_visitor" (
    "shop" TEXT NOT NULL,
    "client_id" TEXT NOT NULL,
    "shopper_id" UUID,
    "pending" JSONB NOT NULL DEFAULT '[]',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "storefront_visitor_pkey" PRIMARY KEY ("shop","client_id")
);

-- CreateIndex
CREATE INDEX "storefront_visitor_shop_shopper_id_idx" ON "storefront_visitor"("shop", "shopper_id");

-- CreateIndex
CREATE INDEX "storefront_visitor_last_seen_at_idx" ON "storefront_visitor"("last_seen_at");

-- The shop's web pixel (webPixelCreate on install and from Settings): whether the merchant wants
-- it, the id Shopify gave it, and why the last attempt failed.
-- AlterTable
ALTER TABLE "shop" ADD COLUMN     "web_pixel_error" TEXT,
ADD COLUMN     "web_pixel_id" TEXT,
ADD COLUMN     "web_pixel_wanted" BOOLEAN NOT NULL DEFAULT true;
