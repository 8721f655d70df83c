import { describe, expect, it } from "vitest";
import { importedOrder, parseExportLine } from "./bulk-order";

const line = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    id: "gid://shopify/Order/820000000009",
    name: "#1009",
    phone: null,
    email: null,
    createdAt: "2026-10-01T12:00:00Z",
    processedAt: "2026-10-01T11:59:00Z",
    totalPriceSet: { shopMoney: { amount: "10.00", currencyCode: "CAD" }, presentmentMoney: { amount: "7.40", currencyCode: "USD" } },
    customer: {
      id: "gid://shopify/Customer/630000000009",
      firstName: "Eve",
      defaultEmailAddress: { emailAddress: "eve@example.com" },
      defaultPhoneNumber: { phoneNumber: "+16135550109", marketingState: "SUBSCRIBED", marketingUpdatedAt: "2026-09-01T00:00:00Z" },
    },
    shippingAddress: { countryCodeV2: "CA" },
    billingAddress: null,
    ...extra,
  });

describe("reading an order-history export line", () => {
  it("maps an order to the webhook's identity, Shopify's SMS consent and an imported order event at its processing time", () => {
    const parsed = parseExportLine(line());
    if (!parsed.ok) throw new Error(parsed.reason);
    const order = importedOrder(parsed.order);
    expect(order.identity).toMatchObject({ phone: "+16135550109", phoneRegion: "CA", customerId: "630000000009", email: "eve@example.com", firstName: "Eve" });
    expect(order.placedAt).toEqual(new Date("2026-10-01T11:59:00Z"));
    expect(order.events).toEqual([
      { type: "opted_in", at: Date.parse("2026-09-01T00:00:00Z"), source: "shopify" },
      { type: "order_created", at: Date.parse("2026-10-01T11:59:00Z"), orderId: "820000000009", checkoutToken: null, cartToken: null, imported: true },
    ]);
  });

  it("gives a customer who is not subscribed no consent entry", () => {
    const parsed = parseExportLine(line({ customer: { id: "gid://shopify/Customer/1", defaultPhoneNumber: { phoneNumber: "+16135550109", marketingState: "NOT_SUBSCRIBED" } } }));
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(importedOrder(parsed.order).events.map((e) => e.type)).toEqual(["order_created"]);
  });

  it("skips child lines, malformed JSON and orders with a wrong id or amount", () => {
    expect(parseExportLine(JSON.stringify({ id: "gid://shopify/LineItem/1", __parentId: "gid://shopify/Order/1" }))).toMatchObject({ ok: false, reason: "child line" });
    expect(parseExportLine('{"id": "gid://shopify/Order/1"')).toMatchObject({ ok: false, reason: "not JSON" });
    expect(parseExportLine(line({ id: "gid://shopify/Customer/5" }))).toMatchObject({ ok: false });
    expect(parseExportLine(line({ totalPriceSet: { shopMoney: { amount: "1e9", currencyCode: "CAD" }, presentmentMoney: { amount: "1", currencyCode: "CAD" } } }))).toMatchObject({ ok: false });
  });
});
