import type { JourneyEvent } from "../journey";
import { normalizePhone, type NormalizedPhone } from "../lib/phone";
import type { ShopperIdentity } from "../services/shoppers.server";
import type { CheckoutPayload, OrderPayload } from "./payloads";

// Pure mapping from Shopify payloads to our identity and journey events.

type Customer = NonNullable<CheckoutPayload["customer"]>;

/** The number a shopper can be texted on: the SMS-consented one first. */
function contactPhone(
  candidates: (string | null | undefined)[],
  payload: { billing_address?: { country_code?: string | null } | null; shipping_address?: { country_code?: string | null } | null },
): NormalizedPhone | null {
  const country = payload.shipping_address?.country_code ?? payload.billing_address?.country_code ?? null;
  for (const raw of candidates) {
    const phone = normalizePhone(raw, country);
    if (phone) return phone;
  }
  return null;
}

function identity(phone: NormalizedPhone | null, customer: Customer | null | undefined, email: string | null | undefined): ShopperIdentity {
  return {
    phone: phone?.e164 ?? null,
    phoneRegion: phone?.region ?? null,
    customerId: customer?.id ?? null,
    email: email ?? customer?.email ?? null,
    firstName: customer?.first_name ?? null,
  };
}

/**
 * Shopify's own SMS consent record for the customer, when it is about this phone. Its
 * consent_updated_at is stable across payloads, so repeats collapse into one entry.
 */
function customerConsentEvents(customer: Customer | null | undefined, phone: NormalizedPhone | null, fallbackAt: Date): JourneyEvent[] {
  const consent = customer?.sms_marketing_consent;
  if (!consent || !phone) return [];
  const customerPhone = normalizePhone(customer?.phone, phone.region);
  if (customerPhone && customerPhone.e164 !== phone.e164) return [];
  if (consent.state === "subscribed" && consent.consent_updated_at) {
    return [{ type: "opted_in", at: consent.consent_updated_at.getTime(), source: "shopify" }];
  }
  if (consent.state === "unsubscribed" || consent.state === "redacted") {
    return [{ type: "opted_out", at: (consent.consent_updated_at ?? fallbackAt).getTime(), source: "shopify" }];
  }
  return [];
}

export function checkoutToJourney(checkout: CheckoutPayload) {
  const phone = contactPhone([checkout.sms_marketing_phone, checkout.phone, checkout.customer?.phone], checkout);
  const events: JourneyEvent[] = [];
  // The box ticked at checkout counts from the checkout's creation: every later update of
  // the same checkout then maps to the same entry, and a STOP sent after it wins.
  if (checkout.buyer_accepts_sms_marketing && phone) {
    events.push({ type: "opted_in", at: checkout.created_at.getTime(), source: "checkout" });
  }
  events.push(...customerConsentEvents(checkout.customer, phone, checkout.updated_at));
  events.push({
    type: "checkout_updated",
    at: checkout.updated_at.getTime(),
    token: checkout.token,
    cartToken: checkout.cart_token ?? null,
    startedAt: checkout.created_at.getTime(),
    completedAt: checkout.completed_at?.getTime() ?? null,
  });
  return { identity: identity(phone, checkout.customer, checkout.email), events };
}

export function orderToJourney(order: OrderPayload) {
  const phone = contactPhone([order.phone, order.customer?.phone], order);
  const placedAt = order.processed_at ?? order.created_at;
  const events: JourneyEvent[] = [
    ...customerConsentEvents(order.customer, phone, order.created_at),
    {
      type: "order_created",
      at: placedAt.getTime(),
      orderId: order.id,
      checkoutToken: order.checkout_token ?? null,
      cartToken: order.cart_token ?? null,
    },
  ];
  return { identity: identity(phone, order.customer, order.email), events, placedAt };
}
