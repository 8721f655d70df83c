import type { JourneyEvent } from "../journey";
import { normalizePhone } from "../lib/phone";
import type { CollectorRequest, PixelEvent } from "./collector-request";

/** Who a batch says the visitor is: a logged-in customer, or contact details typed at checkout. */
/** The journey events the pixel feeds (as `feedStorefrontEvents` takes them). */
export type StorefrontJourneyEvent = Extract<JourneyEvent, { type: "product_viewed" | "cart_item_added" }>;

export interface VisitorClues {
  customerId: string | null;
  /** E.164, from checkout_started / checkout_contact_info_submitted. */
  phones: string[];
  /** Lower-cased. */
  emails: string[];
}

export interface ReadBatch {
  events: StorefrontJourneyEvent[];
  clues: VisitorClues;
}

const HOUR = 3_600_000;
/** Events older than this are stale (a page left open for a day): not an abandonment to text. */
const MAX_EVENT_AGE_MS = 24 * HOUR;

/**
 * A pixel batch as the journey's storefront events and the clues to who sent it. Pure.
 * - product_viewed → product_viewed; product_added_to_cart → cart_item_added (no cart token:
 *   the standard event carries none, so the journey keys the cart by day);
 * - checkout_started and checkout_contact_info_submitted give a phone or email (identity only:
 *   checkouts themselves come from Shopify's signed checkout webhooks, which own that flow);
 * - cart_viewed is accepted and not used.
 * Times come from the event, never later than `now` (a clock ahead of ours), and events older
 * than a day are dropped. `defaultCountry` reads a national phone number (the shop's country).
 */
export function readPixelBatch(body: CollectorRequest, now: Date, defaultCountry: string | null): ReadBatch {
  const events: StorefrontJourneyEvent[] = [];
  const phones = new Set<string>();
  const emails = new Set<string>();
  for (const event of body.events) {
    const at = Math.min(Date.parse(event.timestamp), now.getTime());
    if (now.getTime() - at > MAX_EVENT_AGE_MS) continue;
    const journeyEvent = toJourneyEvent(event, at);
    if (journeyEvent) events.push(journeyEvent);
    if (event.name === "checkout_started" || event.name === "checkout_contact_info_submitted") {
      const { checkout } = event.data;
      const country = checkout.shippingAddress?.countryCode ?? checkout.billingAddress?.countryCode ?? defaultCountry;
      for (const raw of [checkout.smsMarketingPhone, checkout.phone]) {
        const phone = normalizePhone(raw, country);
        if (phone) phones.add(phone.e164);
      }
      const email = normalizeEmail(checkout.email);
      if (email) emails.add(email);
    }
  }
  return { events, clues: { customerId: customerIdOf(body.customer), phones: [...phones], emails: [...emails] } };
}

function toJourneyEvent(event: PixelEvent, at: number): StorefrontJourneyEvent | null {
  if (event.name === "product_viewed") {
    const variant = event.data.productVariant;
    if (!variant.product.id) return null;
    return { type: "product_viewed", at, productId: variant.product.id, variantId: variant.id, productTitle: titleOf(variant.product) };
  }
  if (event.name === "product_added_to_cart") {
    const line = event.data.cartLine;
    if (!line?.merchandise.id || !line.merchandise.product.id) return null;
    return {
      type: "cart_item_added",
      at,
      productId: line.merchandise.product.id,
      variantId: line.merchandise.id,
      productTitle: titleOf(line.merchandise.product),
      quantity: Math.min(line.quantity, 100),
      cartToken: null,
    };
  }
  return null;
}

const titleOf = (product: { title: string; untranslatedTitle?: string | null }) => (product.title.trim() || product.untranslatedTitle?.trim() || "this item").slice(0, 255);

/** init.data.customer.id: numeric, or a Customer gid. */
function customerIdOf(customer: CollectorRequest["customer"]): string | null {
  if (!customer) return null;
  const id = String(customer.id);
  if (/^\d{1,20}$/.test(id)) return id;
  return /^gid:\/\/shopify\/Customer\/(\d{1,20})$/.exec(id)?.[1] ?? null;
}

function normalizeEmail(raw: string | null | undefined): string | null {
  const email = raw?.trim().toLowerCase();
  return email && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? email : null;
}
