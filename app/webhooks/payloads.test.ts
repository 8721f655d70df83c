import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CheckoutPayloadSchema, OrderPayloadSchema } from "./payloads";

const fixture = (name: string) => JSON.parse(readFileSync(`tests/fixtures/shopify/${name}.json`, "utf8"));

describe("webhook payload schemas", () => {
  it("reads Shopify's sample checkouts/create payload", () => {
    const checkout = CheckoutPayloadSchema.parse(fixture("checkouts_create"));
    expect(checkout.token).toBe("123123123");
    expect(checkout.buyer_accepts_sms_marketing).toBe(true);
    expect(checkout.customer?.id).toBe("603851970716743426");
    expect(checkout.customer?.sms_marketing_consent?.state).toBe("subscribed");
    expect(checkout.line_items.length).toBeGreaterThan(0);
  });

  it("takes the exact 64-bit order id from the gid, not the rounded JSON number", () => {
    const order = OrderPayloadSchema.parse(fixture("orders_create"));
    expect(order.id).toBe("820982911946154508");
    expect(order.checkout_token).toBe("123123123");
    expect(order.total_price_set?.presentment_money.amount).toBe("404.95");
  });

  it("rejects an order whose only id has lost precision", () => {
    const order = { ...fixture("orders_create"), admin_graphql_api_id: undefined, id: Number("820982911946154508") };
    expect(OrderPayloadSchema.safeParse(order).success).toBe(false);
  });

  it("rejects a checkout without a token", () => {
    const { token: _token, ...rest } = fixture("checkouts_create");
    expect(CheckoutPayloadSchema.safeParse(rest).success).toBe(false);
  });

  it("keeps a customer without usable id as id null rather than failing the checkout", () => {
    const payload = fixture("checkouts_create");
    payload.customer = { ...payload.customer, id: null, admin_graphql_api_id: null };
    expect(CheckoutPayloadSchema.parse(payload).customer?.id).toBeNull();
  });
});
