import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CheckoutPayloadSchema, OrderPayloadSchema } from "./payloads";
import { checkoutToJourney, orderToJourney } from "./to-journey";

const sample = (name: string) => JSON.parse(readFileSync(`tests/fixtures/shopify/${name}.json`, "utf8"));
const checkout = (changes: Record<string, unknown> = {}) => CheckoutPayloadSchema.parse({ ...sample("checkouts_create"), ...changes });
const at = (iso: string) => Date.parse(iso);

describe("checkoutToJourney", () => {
  it("takes the SMS-consented number as the identity and consent from the checkout box at checkout creation", () => {
    const { identity, events } = checkoutToJourney(checkout({ sms_marketing_phone: "+16135550123", phone: "+16135550999" }));
    expect(identity).toMatchObject({ phone: "+16135550123", phoneRegion: "CA", customerId: "603851970716743426" });
    expect(events[0]).toEqual({ type: "opted_in", at: at("2021-12-31T19:00:00-05:00"), source: "checkout" });
  });

  it("adds Shopify's own consent record for the customer at its consent time", () => {
    const { events } = checkoutToJourney(checkout());
    expect(events).toContainEqual({ type: "opted_in", at: at("2026-11-20T10:00:00-05:00"), source: "shopify" });
  });

  it("turns an unsubscribed Shopify consent state into an opt-out", () => {
    const payload = sample("checkouts_create");
    payload.customer.sms_marketing_consent = { state: "unsubscribed", consent_updated_at: "2026-11-21T10:00:00-05:00" };
    const { events } = checkoutToJourney(CheckoutPayloadSchema.parse({ ...payload, buyer_accepts_sms_marketing: false }));
    expect(events.filter((e) => e.type !== "checkout_updated")).toEqual([{ type: "opted_out", at: at("2026-11-21T10:00:00-05:00"), source: "shopify" }]);
  });

  it("records no consent when the box was not ticked and Shopify has none", () => {
    const payload = sample("checkouts_create");
    delete payload.customer.sms_marketing_consent;
    const { events } = checkoutToJourney(CheckoutPayloadSchema.parse({ ...payload, buyer_accepts_sms_marketing: false }));
    expect(events.map((e) => e.type)).toEqual(["checkout_updated"]);
  });

  it("uses updated_at as the activity time and created_at as the start", () => {
    const { events } = checkoutToJourney(checkout({ created_at: "2026-11-24T10:00:00Z", updated_at: "2026-11-24T10:07:00Z" }));
    expect(events.at(-1)).toEqual({
      type: "checkout_updated",
      at: at("2026-11-24T10:07:00Z"),
      token: "123123123",
      cartToken: "eeafa272cebfd4b22385bc4b645e762c",
      startedAt: at("2026-11-24T10:00:00Z"),
      completedAt: null,
    });
  });
});

describe("orderToJourney", () => {
  it("reports the order with its exact id, tokens and processing time", () => {
    const { events, identity } = orderToJourney(OrderPayloadSchema.parse(sample("orders_create")));
    expect(events).toEqual([
      {
        type: "order_created",
        at: at("2021-12-31T19:00:00-05:00"),
        orderId: "820982911946154508",
        checkoutToken: "123123123",
        cartToken: "eeafa272cebfd4b22385bc4b645e762c",
      },
    ]);
    expect(identity).toMatchObject({ phone: null, customerId: "115310627314723954" });
  });
});
