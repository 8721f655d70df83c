import { abandonmentDeadline, allowedAbandonmentSteps } from "./carrier-rule";
import { checkoutConverted, consentStatus, latestOrder } from "./state";
import { planStorefrontTexts } from "./storefront-plan";
import type { JourneySettings, JourneyState, PlannedMessage } from "./types";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Every message the shopper should have in the outbox given what we know, as a pure
 * function of state. The engine diffs two plans to get commands, so the outcome depends
 * on the facts and not on the order events arrived in.
 */
export function planMessages(state: JourneyState, now: number, settings: JourneySettings): PlannedMessage[] {
  const consent = consentStatus(state.consentLog);
  if (!consent.granted || consent.since === null) return [];
  const tooLate = (dueAt: number) => now > dueAt + settings.maxLateHours * HOUR;
  const planned: PlannedMessage[] = [];

  // Welcome: for a subscription from our popup, a keyword or the merchant; not for consent
  // ticked at checkout, where the shopper is mid-purchase and the cart and order flows apply.
  if (settings.welcome.enabled && consent.source !== "checkout") {
    const dueAt = consent.since + settings.welcome.delayMinutes * MINUTE;
    if (!tooLate(dueAt)) {
      planned.push(withDiscount({ key: "welcome", flow: "welcome", step: 1, dueAt }, settings.welcome));
    }
  }

  planned.push(...planStorefrontTexts(state, now, consent.since, settings));
  if (settings.cartRecovery.enabled) planned.push(...planCartRecovery(state, now, consent.since, settings));

  const latest = latestOrder(state);
  if (latest) {
    const [orderId, order] = latest;
    // An order read from the shop's history was placed before we could thank anyone for it:
    // no post-purchase text, however recent (ADR 014). Win-back still counts from it.
    if (settings.postPurchase.enabled && !order.imported) {
      const dueAt = order.at + settings.postPurchase.delayMinutes * MINUTE;
      if (!tooLate(dueAt)) {
        planned.push(withDiscount({ key: `post_purchase:${orderId}`, flow: "post_purchase", step: 1, dueAt, orderId }, settings.postPurchase));
      }
    }
    // The NPS question: its own text, after the thank-you, switched off with the flow or on its own.
    const nps = settings.postPurchase.npsQuestion;
    if (settings.postPurchase.enabled && nps.enabled && !order.imported) {
      const dueAt = order.at + nps.afterDays * DAY;
      if (!tooLate(dueAt)) planned.push({ key: `nps:${orderId}`, flow: "nps_survey", step: 1, dueAt, orderId });
    }
    if (settings.winBack.enabled) {
      const dueAt = order.at + settings.winBack.afterDays * DAY;
      if (!tooLate(dueAt)) {
        planned.push(withDiscount({ key: `win_back:${orderId}`, flow: "win_back", step: 1, dueAt, orderId }, settings.winBack));
      }
    }
  }
  return planned;
}

function planCartRecovery(state: JourneyState, now: number, consentSince: number, settings: JourneySettings): PlannedMessage[] {
  const { steps, windowHours, discountExpiryHours } = settings.cartRecovery;
  const allowedSteps = allowedAbandonmentSteps(state.phoneRegion, steps);
  const planned: PlannedMessage[] = [];
  for (const [token, checkout] of Object.entries(state.checkouts)) {
    if (checkoutConverted(state, token, checkout)) continue;
    const abandonedAt = checkout.lastActivityAt;
    const deadline = abandonmentDeadline(state.phoneRegion, consentSince, abandonedAt, windowHours);
    if (deadline === null) continue;
    allowedSteps.forEach((step, index) => {
      const dueAt = abandonedAt + step.delayMinutes * MINUTE;
      if (dueAt > deadline || now > deadline) return;
      const message: PlannedMessage = { key: `cart:${token}:${index + 1}`, flow: "cart_recovery", step: index + 1, dueAt, checkoutToken: token };
      planned.push(withDiscount(message, { discountPercent: step.discountPercent, discountExpiryHours }));
    });
  }
  return planned;
}

function withDiscount(message: PlannedMessage, offer: { discountPercent: number | null; discountExpiryHours: number }): PlannedMessage {
  if (offer.discountPercent === null) return message;
  return { ...message, discount: { percent: offer.discountPercent, expiresInHours: offer.discountExpiryHours } };
}
