import { describe, expect, it } from "vitest";
import { checkoutContactInfoSubmitted, checkoutStarted, cartViewed, pixelBatch, pixelCustomer, productAddedToCart, productViewed } from "../demo/pixel-events";
import { CollectorRequestSchema } from "./collector-request";
import { readPixelBatch } from "./read-events";

const NOW = new Date("2026-11-24T15:00:00Z");
const me = { clientId: "c0ffee00-0000-4000-8000-000000000001" };
const TENT = { productId: "1001", variantId: "4001", title: "Trail Tent" };
const read = (customer: ReturnType<typeof pixelCustomer> | null, events: unknown[], country: string | null = "US") =>
  readPixelBatch(CollectorRequestSchema.parse(pixelBatch("trail-co.myshopify.com", me.clientId, customer, events)), NOW, country);

describe("reading a pixel batch", () => {
  it("turns views and cart adds into the journey's storefront events, and ignores cart views", () => {
    const batch = read(null, [
      productViewed({ ...me, at: new Date(NOW.getTime() - 60_000) }, TENT),
      productAddedToCart({ ...me, at: NOW }, TENT, 2),
      cartViewed({ ...me, at: NOW }, [{ product: TENT, quantity: 2 }], "tok"),
    ]);
    expect(batch.events).toEqual([
      { type: "product_viewed", at: NOW.getTime() - 60_000, productId: "1001", variantId: "4001", productTitle: "Trail Tent" },
      { type: "cart_item_added", at: NOW.getTime(), productId: "1001", variantId: "4001", productTitle: "Trail Tent", quantity: 2, cartToken: null },
    ]);
    expect(batch.clues).toEqual({ customerId: null, phones: [], emails: [] });
  });

  it("never dates an event after now, and drops one older than a day", () => {
    const batch = read(null, [productViewed({ ...me, at: new Date(NOW.getTime() + 3_600_000) }, TENT), productViewed({ ...me, at: new Date(NOW.getTime() - 25 * 3_600_000) }, TENT)]);
    expect(batch.events.map((e) => e.at)).toEqual([NOW.getTime()]);
  });

  it("reads who the visitor is: the customer id (numeric or gid) and the phone (national, in the shop's country) and email typed at checkout", () => {
    const lines = [{ product: TENT, quantity: 1 }];
    const view = productViewed({ ...me, at: NOW }, TENT);
    expect(read(pixelCustomer("gid://shopify/Customer/7100"), [view]).clues.customerId).toBe("7100");
    const batch = read(pixelCustomer("7100"), [
      checkoutStarted({ ...me, at: NOW }, "chk", lines, { email: "Ana@Example.com" }),
      checkoutContactInfoSubmitted({ ...me, at: NOW }, "chk", lines, { phone: "(212) 555-0100", email: "not an email" }),
    ]);
    expect(batch.clues).toEqual({ customerId: "7100", phones: ["+12125550100"], emails: ["ana@example.com"] });
    expect(batch.events).toEqual([]);
    expect(read(pixelCustomer("not-a-number"), [view]).clues.customerId).toBeNull();
  });
});
