-- A checkout webhook links the orders that arrived before it by checkout token or cart token
-- (app/webhooks/handle-checkout.server.ts). Without this index the cart-token half of that
-- lookup read every order of the shop on every checkout webhook (issue #9, docs/benchmarks.md).
-- CreateIndex
CREATE INDEX "order_shop_cart_token_idx" ON "order"("shop", "cart_token");
