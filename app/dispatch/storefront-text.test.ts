import { describe, expect, it } from "vitest";
import { initialState } from "../journey/state";
import { applyEvent } from "../journey/transition";
import type { JourneyEvent } from "../journey/types";
import { cartPermalink } from "../offers/cart-permalink";
import { storefrontTextParts } from "./storefront-text";

const T0 = Date.parse("2026-11-24T15:00:00Z");
const SHOP = "trail-co.myshopify.com";

describe("cart permalinks (https://shopify.dev/docs/apps/build/checkout/create-cart-permalinks)", () => {
  it.each<[string, Parameters<typeof cartPermalink>, string | null]>([
    ["one line with a code", [SHOP, [{ variantId: "4001", quantity: 2 }], "NUDGE-ABC"], "https://trail-co.myshopify.com/cart/4001:2?discount=NUDGE-ABC"],
    [
      "a gid and two lines, no code",
      [
        SHOP,
        [
          { variantId: "gid://shopify/ProductVariant/4001", quantity: 1 },
          { variantId: "77", quantity: 3 },
        ],
        null,
      ],
      "https://trail-co.myshopify.com/cart/4001:1,77:3",
    ],
    ["a stand-in storefront", [SHOP, [{ variantId: "4001", quantity: 1 }], "X", "http://127.0.0.1:9/demo/"], "http://127.0.0.1:9/demo/cart/4001:1?discount=X"],
    ["no usable variant", [SHOP, [{ variantId: "abc", quantity: 1 }], "X"], null],
  ])("builds %s", (_name, args, expected) => {
    expect(cartPermalink(...args)).toBe(expected);
  });
});

describe("storefrontTextParts", () => {
  const events: JourneyEvent[] = [
    { type: "cart_item_added", at: T0, productId: "p1", variantId: "4001", productTitle: "Trail Tent", quantity: 1, cartToken: "c1" },
    { type: "cart_item_added", at: T0 + 60_000, productId: "p2", variantId: "5002", productTitle: "Camp Stove", quantity: 2, cartToken: "c1" },
    { type: "product_viewed", at: T0, productId: "p9", variantId: null, productTitle: "Rain Fly" },
    { type: "product_viewed", at: T0 + 1000, productId: "p9", variantId: null, productTitle: "Rain Fly" },
  ];
  const state = events.reduce(applyEvent, initialState("US"));

  it("names the newest line and rebuilds the whole cart with the code", () => {
    expect(storefrontTextParts("cart_abandonment", "cart_abandon:c1", state, SHOP, "NUDGE-1")).toEqual({
      link: "https://trail-co.myshopify.com/cart/5002:2,4001:1?discount=NUDGE-1",
      productTitle: "Camp Stove",
      cart: {
        lines: [
          { title: "Camp Stove", quantity: 2 },
          { title: "Trail Tent", quantity: 1 },
        ],
        total: null,
        currency: null,
      },
    });
  });

  it("lands a browse text with no known variant on the shop with the code applied", () => {
    expect(storefrontTextParts("browse_abandonment", `browse:p9:${T0}`, state, SHOP, "NUDGE-2")).toMatchObject({
      link: "https://trail-co.myshopify.com/discount/NUDGE-2",
      productTitle: "Rain Fly",
    });
  });

  it("is null for other flows and for a cart it doesn't know", () => {
    expect(storefrontTextParts("cart_recovery", "cart:t:1", state, SHOP, null)).toBeNull();
    expect(storefrontTextParts("cart_abandonment", "cart_abandon:nope", state, SHOP, null)).toBeNull();
  });
});
