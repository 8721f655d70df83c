import { describe, expect, it } from "vitest";
import { CheckoutPayloadSchema, OrderPayloadSchema } from "~/webhooks/payloads";
import { planScenario } from "../scenario/plan";
import { demoCheckout, demoOrder } from "./store-payloads";

const shopper = planScenario({ seed: 3, shoppers: 5, days: 1, followUps: false }).shoppers[0]!;

describe("the store simulator's payloads", () => {
  it("builds a checkout the app's schema reads, with the shopper's phone, name, cart and SMS consent", () => {
    const at = new Date("2026-05-04T14:00:00Z");
    const parsed = CheckoutPayloadSchema.parse(demoCheckout(shopper, at, true));
    expect(parsed).toMatchObject({ token: shopper.cart.token, phone: shopper.phone, buyer_accepts_sms_marketing: true, sms_marketing_phone: shopper.phone });
    expect(parsed.customer?.first_name).toBe(shopper.firstName);
    expect(parsed.line_items.map((l) => [l.title, l.quantity])).toEqual(shopper.cart.lines.map((l) => [l.title, l.quantity]));
    expect(Number(parsed.total_price)).toBe(shopper.cart.subtotal);
    expect(parsed.created_at.toISOString()).toBe(at.toISOString());
    expect(CheckoutPayloadSchema.parse(demoCheckout(shopper, at, false))).toMatchObject({ buyer_accepts_sms_marketing: false, sms_marketing_phone: null });
  });

  it("builds an order that completes the checkout with the text's code and the discounted total", () => {
    const parsed = OrderPayloadSchema.parse(demoOrder(shopper, { id: 9_100_000_001, at: new Date(), checkout: true, total: 90, code: "NUDGE-ABCDEFGH" }));
    expect(parsed).toMatchObject({ id: "9100000001", checkout_token: shopper.cart.token, total_price: "90.00", discount_codes: [{ code: "NUDGE-ABCDEFGH" }] });
    expect(parsed.total_price_set?.shop_money).toEqual({ amount: "90.00", currency_code: "USD" });
  });

  it("builds a new order (a repeat visit) with no checkout, linked to the shopper by phone and customer", () => {
    const parsed = OrderPayloadSchema.parse(demoOrder(shopper, { id: 9_100_000_002, at: new Date(), checkout: false, total: shopper.cart.subtotal, code: null }));
    expect(parsed).toMatchObject({ checkout_token: null, cart_token: null, phone: shopper.phone, discount_codes: [] });
    expect(String(parsed.customer?.id)).toBe(shopper.customerId);
  });
});
