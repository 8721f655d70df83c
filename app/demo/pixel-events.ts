/**
 * Shopify's standard web pixel events as `analytics.subscribe` hands them over, shaped as in
 * the Web Pixels API reference (https://shopify.dev/docs/api/web-pixels-api/standard-events:
 * product_viewed, product_added_to_cart, cart_viewed, checkout_started,
 * checkout_contact_info_submitted), for the tests and the demo's store simulator to post to
 * POST /pixel/events as the pixel (extensions/nudge-pixel) does.
 */

export interface PixelProduct {
  /** Numeric ids as the pixel reports them. */
  productId: string;
  variantId: string;
  title: string;
  variantTitle?: string;
  price?: number;
}

interface EventBase {
  clientId: string;
  at: Date;
  storefront?: string;
  seq?: number;
}

let sequence = 0;

function context(storefront: string, path: string) {
  const href = `${storefront}${path}`;
  const url = new URL(href);
  const location = { hash: "", host: url.host, hostname: url.hostname, href, origin: url.origin, pathname: url.pathname, port: "", protocol: "https:", search: "" };
  return {
    document: { characterSet: "UTF-8", location, referrer: `${storefront}/`, title: "Trail Co" },
    navigator: { cookieEnabled: true, language: "en-US", languages: ["en-US", "en"], userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1" },
    window: {
      innerHeight: 844,
      innerWidth: 390,
      outerHeight: 844,
      outerWidth: 390,
      pageXOffset: 0,
      pageYOffset: 0,
      location,
      origin: url.origin,
      screen: { height: 844, width: 390 },
      screenX: 0,
      screenY: 0,
      scrollX: 0,
      scrollY: 0,
    },
  };
}

function event(name: string, base: EventBase, path: string, data: unknown) {
  const storefront = base.storefront ?? "https://trail-co.myshopify.com";
  return {
    id: `sh-${(++sequence).toString(16).padStart(8, "0")}-${base.at.getTime().toString(16)}`,
    name,
    type: "standard",
    clientId: base.clientId,
    timestamp: base.at.toISOString(),
    seq: base.seq ?? sequence,
    context: context(storefront, path),
    data,
  };
}

function variant(product: PixelProduct) {
  const price = { amount: product.price ?? 189, currencyCode: "USD" };
  return {
    id: product.variantId,
    image: { src: `//cdn.shopify.com/s/files/1/0000/0001/products/${product.productId}.jpg` },
    price,
    product: {
      id: product.productId,
      title: product.title,
      untranslatedTitle: product.title,
      type: "Camping",
      url: `/products/${product.title.toLowerCase().replace(/\W+/g, "-")}`,
      vendor: "Trail Co",
    },
    sku: `SKU-${product.variantId}`,
    title: product.variantTitle ?? "Default Title",
    untranslatedTitle: product.variantTitle ?? "Default Title",
  };
}

export const productViewed = (base: EventBase, product: PixelProduct) => event("product_viewed", base, `/products/${product.productId}`, { productVariant: variant(product) });

export const productAddedToCart = (base: EventBase, product: PixelProduct, quantity = 1) =>
  event("product_added_to_cart", base, `/products/${product.productId}`, {
    cartLine: { cost: { totalAmount: { amount: (product.price ?? 189) * quantity, currencyCode: "USD" } }, merchandise: variant(product), quantity },
  });

export const cartViewed = (base: EventBase, lines: { product: PixelProduct; quantity: number }[], cartToken: string) =>
  event("cart_viewed", base, "/cart", {
    cart: {
      id: `gid://shopify/Cart/${cartToken}`,
      attributes: [],
      cost: { totalAmount: { amount: lines.reduce((sum, l) => sum + (l.product.price ?? 189) * l.quantity, 0), currencyCode: "USD" } },
      lines: lines.map((line) => ({
        cost: { totalAmount: { amount: (line.product.price ?? 189) * line.quantity, currencyCode: "USD" } },
        merchandise: variant(line.product),
        quantity: line.quantity,
      })),
      totalQuantity: lines.reduce((sum, l) => sum + l.quantity, 0),
    },
  });

function checkout(token: string, contact: { email?: string | null; phone?: string | null }, lines: { product: PixelProduct; quantity: number }[]) {
  return {
    attributes: [],
    billingAddress: null,
    buyerAcceptsEmailMarketing: false,
    buyerAcceptsSmsMarketing: false,
    currencyCode: "USD",
    delivery: null,
    discountApplications: [],
    discountsAmount: { amount: 0, currencyCode: "USD" },
    email: contact.email ?? null,
    lineItems: lines.map((line, i) => ({
      discountAllocations: [],
      finalLinePrice: { amount: (line.product.price ?? 189) * line.quantity, currencyCode: "USD" },
      id: String(i + 1),
      properties: [],
      quantity: line.quantity,
      sellingPlanAllocation: null,
      title: line.product.title,
      variant: variant(line.product),
    })),
    localization: { country: { isoCode: "US" }, language: { isoCode: "en" }, market: { handle: "us", id: "gid://shopify/Market/1" } },
    order: null,
    phone: contact.phone ?? null,
    shippingAddress: null,
    shippingLine: null,
    smsMarketingPhone: null,
    subtotalPrice: { amount: lines.reduce((sum, l) => sum + (l.product.price ?? 189) * l.quantity, 0), currencyCode: "USD" },
    token,
    totalPrice: { amount: lines.reduce((sum, l) => sum + (l.product.price ?? 189) * l.quantity, 0), currencyCode: "USD" },
    totalTax: { amount: 0, currencyCode: "USD" },
    transactions: [],
  };
}

export const checkoutStarted = (base: EventBase, token: string, lines: { product: PixelProduct; quantity: number }[], contact: { email?: string | null; phone?: string | null } = {}) =>
  event("checkout_started", base, `/checkouts/cn/${token}`, { checkout: checkout(token, contact, lines) });

export const checkoutContactInfoSubmitted = (base: EventBase, token: string, lines: { product: PixelProduct; quantity: number }[], contact: { email?: string | null; phone?: string | null }) =>
  event("checkout_contact_info_submitted", base, `/checkouts/cn/${token}/information`, { checkout: checkout(token, contact, lines) });

/** `init.data.customer` for a logged-in customer (https://shopify.dev/docs/api/web-pixels-api/standard-api/init). */
export const pixelCustomer = (id: string, details: { email?: string | null; phone?: string | null; firstName?: string | null } = {}) => ({
  id,
  email: details.email ?? null,
  firstName: details.firstName ?? null,
  lastName: null,
  ordersCount: 0,
  phone: details.phone ?? null,
});

/** The body the pixel posts to POST /pixel/events. */
export const pixelBatch = (shop: string, clientId: string, customer: ReturnType<typeof pixelCustomer> | null, events: unknown[]) => ({ shop, clientId, customer, events });
