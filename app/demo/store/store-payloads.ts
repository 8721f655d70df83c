import { checkoutPayload, fixture, orderPayload } from "../shopify-payloads";
import { pixelBatch, productAddedToCart, productViewed } from "../pixel-events";
import { DEMO_SHOP } from "../session-token.server";
import type { CartLine, PlannedShopper } from "../scenario/plan";

// Shopify's documented payloads (tests/fixtures/shopify) filled in with a planned shopper's
// details, so the app reads exactly the shapes a real store sends.

const money = (amount: number) => amount.toFixed(2);

function lineItems(lines: CartLine[], template: Record<string, unknown>) {
  return lines.map((line, i) => ({
    ...template,
    key: `${line.variantId}-${i}`,
    id: line.variantId * 10 + i,
    product_id: line.productId,
    variant_id: line.variantId,
    sku: line.sku,
    title: line.title,
    presentment_title: line.title,
    name: line.variant ? `${line.title} - ${line.variant}` : line.title,
    variant_title: line.variant,
    presentment_variant_title: line.variant,
    price: money(line.price),
    quantity: line.quantity,
    line_price: money(line.price * line.quantity),
    tax_lines: [],
    discount_allocations: [],
    applied_discounts: [],
  }));
}

function person(shopper: PlannedShopper) {
  return { first_name: shopper.firstName, last_name: shopper.lastName, name: `${shopper.firstName} ${shopper.lastName}`, phone: shopper.phone };
}

function address(template: Record<string, unknown>, shopper: PlannedShopper) {
  return { ...template, ...person(shopper), city: "New York", province: "New York", province_code: "NY", country: "United States", country_code: "US", zip: "10001" };
}

/** checkouts/create for a shopper's cart, with or without the SMS marketing tick. */
export function demoCheckout(shopper: PlannedShopper, at: Date, smsConsent: boolean) {
  const base = checkoutPayload({ token: shopper.cart.token, cartToken: `${shopper.cart.token}-cart`, createdAt: at, phone: shopper.phone, customerId: shopper.customerId });
  const subtotal = money(shopper.cart.subtotal);
  return {
    ...base,
    email: shopper.email,
    phone: shopper.phone,
    buyer_accepts_sms_marketing: smsConsent,
    sms_marketing_phone: smsConsent ? shopper.phone : null,
    abandoned_checkout_url: `https://${DEMO_SHOP}/checkouts/cn/${shopper.cart.token}/recover?key=${shopper.cart.token.split("").reverse().join("")}`,
    line_items: lineItems(shopper.cart.lines, base.line_items[0]),
    subtotal_price: subtotal,
    total_line_items_price: subtotal,
    total_price: subtotal,
    total_tax: "0.00",
    total_discounts: "0.00",
    tax_lines: [],
    shipping_lines: [],
    discount_codes: [],
    currency: "USD",
    presentment_currency: "USD",
    billing_address: address(base.billing_address, shopper),
    shipping_address: address(base.shipping_address, shopper),
    customer: { ...base.customer, ...person(shopper), email: shopper.email },
  };
}

/**
 * orders/create: the shopper's cart bought, completing their checkout or (for a new visit) on
 * its own, with the text's code when they came through one.
 */
export function demoOrder(shopper: PlannedShopper, options: { id: number; at: Date; checkout: boolean; total: number; code: string | null }) {
  const base = orderPayload({
    id: String(options.id),
    checkoutToken: options.checkout ? shopper.cart.token : null,
    cartToken: options.checkout ? `${shopper.cart.token}-cart` : null,
    createdAt: options.at,
  });
  const subtotal = shopper.cart.subtotal;
  const discount = Math.round((subtotal - options.total) * 100) / 100;
  const set = (amount: number) => ({ shop_money: { amount: money(amount), currency_code: "USD" }, presentment_money: { amount: money(amount), currency_code: "USD" } });
  const template = fixture("orders_create").line_items[0];
  return {
    ...base,
    id: options.id,
    name: `#${1000 + (options.id % 100_000)}`,
    order_number: 1000 + (options.id % 100_000),
    email: shopper.email,
    contact_email: shopper.email,
    phone: shopper.phone,
    currency: "USD",
    presentment_currency: "USD",
    subtotal_price: money(options.total),
    subtotal_price_set: set(options.total),
    total_line_items_price: money(subtotal),
    total_line_items_price_set: set(subtotal),
    total_discounts: money(discount),
    total_discounts_set: set(discount),
    total_price: money(options.total),
    total_price_set: set(options.total),
    current_total_price: money(options.total),
    current_total_price_set: set(options.total),
    current_subtotal_price: money(options.total),
    current_total_discounts: money(discount),
    total_tax: "0.00",
    tax_lines: [],
    shipping_lines: [],
    discount_codes: options.code ? [{ code: options.code, amount: money(discount), type: "percentage" }] : [],
    discount_applications: options.code
      ? [{ type: "discount_code", code: options.code, value: "", value_type: "percentage", allocation_method: "across", target_selection: "all", target_type: "line_item" }]
      : [],
    line_items: lineItems(shopper.cart.lines, template),
    billing_address: address(base.billing_address, shopper),
    shipping_address: address(base.shipping_address, shopper),
    customer: { ...base.customer, id: Number(shopper.customerId), admin_graphql_api_id: `gid://shopify/Customer/${shopper.customerId}`, ...person(shopper), email: shopper.email },
  };
}

/** The web pixel's client id for a shopper's browser (what the popup also sends at sign-up). */
export const demoClientId = (shopper: PlannedShopper) => `demo-client-${String(shopper.index).padStart(6, "0")}`;

/**
 * What the web pixel posts of a subscriber's storefront visit (issue #18): a standard
 * product_viewed of their cart's first product or, for a cart abandonment, its
 * product_added_to_cart, in the body POST /pixel/events takes.
 */
export function demoPixelBatch(shopper: PlannedShopper, kind: "view" | "add", at: Date) {
  const line = shopper.cart.lines[0]!;
  const product = { productId: String(line.productId), variantId: String(line.variantId), title: line.title };
  const base = { clientId: demoClientId(shopper), at, storefront: `https://${DEMO_SHOP}` };
  const event = kind === "view" ? productViewed(base, product) : productAddedToCart(base, product, line.quantity);
  return pixelBatch(DEMO_SHOP, base.clientId, null, [event]);
}
