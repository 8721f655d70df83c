import { z } from "zod";

/**
 * What the web pixel (extensions/nudge-pixel) posts to POST /pixel/events: the shop, the
 * pixel's client id, `init.data.customer` (or null) and Shopify's standard event objects
 * exactly as `analytics.subscribe` hands them over
 * (https://shopify.dev/docs/api/web-pixels-api/standard-events). Only the fields the collector
 * reads are checked; the rest (context, prices, images) is ignored. Issue #18, item 3.
 */

/** The body cap: a batch of ten events with their page context is well under it. */
export const MAX_BODY_BYTES = 64 * 1024;
/** Events per request; the pixel flushes at 10, so 50 leaves room for a slow page's backlog. */
export const MAX_EVENTS = 50;

const Text = (max: number) => z.string().max(max);
const ShopifyId = z.string().min(1).max(100);

const Product = z.object({ id: ShopifyId.nullable(), title: Text(500), untranslatedTitle: Text(500).nullish() });
const ProductVariant = z.object({ id: ShopifyId.nullable(), title: Text(500).nullish(), product: Product });
const Address = z.object({ countryCode: z.string().max(2).nullish() }).nullish();
const Checkout = z.object({
  token: Text(200).nullish(),
  email: Text(320).nullish(),
  phone: Text(40).nullish(),
  smsMarketingPhone: Text(40).nullish(),
  shippingAddress: Address,
  billingAddress: Address,
});

const base = {
  id: z.string().min(1).max(100),
  clientId: z.string().max(100).optional(),
  timestamp: z.iso.datetime({ offset: true }),
};

const PixelEventSchema = z.discriminatedUnion("name", [
  z.object({ ...base, name: z.literal("product_viewed"), data: z.object({ productVariant: ProductVariant }) }),
  z.object({
    ...base,
    name: z.literal("product_added_to_cart"),
    data: z.object({ cartLine: z.object({ quantity: z.number().int().min(1).max(10_000), merchandise: ProductVariant }).nullable() }),
  }),
  z.object({ ...base, name: z.literal("cart_viewed"), data: z.object({ cart: z.object({ id: Text(300).nullish() }).nullable() }) }),
  z.object({ ...base, name: z.literal("checkout_started"), data: z.object({ checkout: Checkout }) }),
  z.object({ ...base, name: z.literal("checkout_contact_info_submitted"), data: z.object({ checkout: Checkout }) }),
]);
export type PixelEvent = z.infer<typeof PixelEventSchema>;

const PixelCustomerSchema = z.object({
  id: z.union([ShopifyId, z.number().int().positive()]),
  email: Text(320).nullish(),
  phone: Text(40).nullish(),
});

export const CollectorRequestSchema = z
  .object({
    shop: z.string().regex(/^[a-z0-9][a-z0-9-]{0,60}\.myshopify\.com$/, "not a shop domain"),
    // Shopify's client ids are UUID-like; anything else is not from the pixel.
    clientId: z.string().regex(/^[A-Za-z0-9._:-]{8,100}$/, "not a client id"),
    customer: PixelCustomerSchema.nullable(),
    events: z.array(PixelEventSchema).min(1).max(MAX_EVENTS),
  })
  .refine((body) => body.events.every((event) => event.clientId === undefined || event.clientId === body.clientId), {
    message: "events of another client",
    path: ["events"],
  });
export type CollectorRequest = z.infer<typeof CollectorRequestSchema>;
