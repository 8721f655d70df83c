import { orderTotal, type Reaction, type Scenario } from "./plan";

/** The offers the demo shop's default flows make (app/journey/settings.ts defaults). */
export const DEMO_FLOW_RULES = {
  welcome: { delayMinutes: 0, percent: 15 },
  browse_abandonment: { delayMinutes: 120, percent: null },
  cart_abandonment: { delayMinutes: 60, percent: 10 },
  cart_recovery: { delayMinutes: 20, percent: 10 },
  post_purchase: { delayMinutes: 24 * 60, percent: 20 },
} as const;
export type TextFlow = keyof typeof DEMO_FLOW_RULES;
/** The NPS question, a week after the order (journey.postPurchase.npsQuestion's default). */
const DEMO_NPS_AFTER_MINUTES = 7 * 24 * 60;

/** What a run of the demo should end with. The same shape `npm run demo -- --ci` reports. */
export interface Outcome {
  texts: { sent: number; delivered: number; clicked: number; byFlow: Record<TextFlow, number> };
  skipped: Record<string, number>;
  cancelled: Record<string, number>;
  optOuts: number;
  orders: { total: number; attributed: number; byFlow: Record<TextFlow, number> };
  revenue: { recovered: number; attributed: number };
  lift: { treated: Group; control: Group; difference: number | null };
}
export interface Group {
  shoppers: number;
  converted: number;
}

interface Order {
  at: number;
  total: number;
  flow: TextFlow | null;
  /** Completes the shopper's checkout (rather than a new visit to the store). */
  completesCheckout: boolean;
}

/**
 * The outcome a scenario should produce, worked out from its plan and the journey rules the
 * demo shop runs with, not from the database. The one input from the run is who landed in
 * the cart-recovery control group: the app draws that from a hash of each shopper's id,
 * which the database assigns at random.
 */
export function expectedOutcome(scenario: Scenario, inControlGroup: (phone: string) => boolean): Outcome {
  const outcome: Outcome = {
    texts: { sent: 0, delivered: 0, clicked: 0, byFlow: emptyByFlow() },
    skipped: {},
    cancelled: {},
    optOuts: 0,
    orders: { total: 0, attributed: 0, byFlow: emptyByFlow() },
    revenue: { recovered: 0, attributed: 0 },
    lift: { treated: { shoppers: 0, converted: 0 }, control: { shoppers: 0, converted: 0 }, difference: null },
  };
  const count = (bucket: Record<string, number>, key: string) => (bucket[key] = (bucket[key] ?? 0) + 1);
  const send = (flow: TextFlow | "nps_survey") => {
    outcome.texts.sent++;
    outcome.texts.delivered++;
    if (flow !== "nps_survey") outcome.texts.byFlow[flow]++;
  };

  for (const shopper of scenario.shoppers) {
    const orders: Order[] = [];
    let optedOut = false;
    /** Applies a reaction to a text that arrived at `at`; returns the order it led to. */
    const react = (reaction: Reaction, flow: TextFlow, at: number): Order | null => {
      if (reaction.kind === "ignore" || at + reaction.afterMinutes >= scenario.endsAt) return null;
      if (reaction.kind === "stop") {
        optedOut = true;
        outcome.optOuts++;
        return null;
      }
      const total = orderTotal(shopper.cart.subtotal, DEMO_FLOW_RULES[flow].percent);
      if (reaction.kind === "buy_with_code") return { at: at + reaction.afterMinutes, total, flow, completesCheckout: false };
      outcome.texts.clicked++;
      if (reaction.kind === "click") return null;
      return { at: at + reaction.afterMinutes + reaction.buyAfterMinutes, total, flow, completesCheckout: flow === "cart_recovery" };
    };

    const t0 = shopper.arrivesAt;
    const control = shopper.kind === "abandoner" && inControlGroup(shopper.phone);
    if (shopper.kind === "subscriber") {
      send("welcome");
      const order = react(shopper.onFirstText, "welcome", t0 + DEMO_FLOW_RULES.welcome.delayMinutes);
      if (order) orders.push(order);
    }
    // What the pixel saw after the sign-up (issue #18): one browse or cart text, which the
    // welcome before it doesn't hold back under the frequency cap.
    if (shopper.storefront) {
      const flow = shopper.storefront.kind === "browse" ? "browse_abandonment" : "cart_abandonment";
      const abandonedAt = t0 + (shopper.storefront.addToCartAt ?? shopper.storefront.viewsAt.at(-1)!);
      if (abandonedAt + DEMO_FLOW_RULES[flow].delayMinutes < scenario.endsAt) send(flow);
    }
    if (shopper.buysUnpromptedAfter !== null) {
      orders.push({ at: t0 + shopper.buysUnpromptedAfter, total: shopper.cart.subtotal, flow: null, completesCheckout: true });
    }
    // A quick buyer's order reaches the app before their checkout: no cart text is planned.
    if (shopper.kind === "abandoner") {
      if (control) count(outcome.skipped, "holdout");
      else {
        send("cart_recovery");
        const order = react(shopper.onFirstText, "cart_recovery", t0 + DEMO_FLOW_RULES.cart_recovery.delayMinutes);
        if (order) orders.push(order);
      }
      const group = control ? outcome.lift.control : outcome.lift.treated;
      group.shoppers++;
      if (orders.some((o) => o.completesCheckout)) group.converted++;
    }

    // After an order: the post-purchase text a day later, the NPS question a week later and the
    // win-back text 60 days on (the last two pending until an order or a STOP cancels them).
    // Only shoppers who consented get any.
    const consented = shopper.kind !== "no_consent";
    const first = orders[0];
    if (consented && first && !optedOut) {
      const due = first.at + DEMO_FLOW_RULES.post_purchase.delayMinutes;
      let latest = first;
      if (due < scenario.endsAt) {
        send("post_purchase");
        const repeat = react(shopper.onPostPurchaseText, "post_purchase", due);
        if (repeat) {
          orders.push(repeat);
          latest = repeat;
          count(outcome.cancelled, "ordered"); // the first order's win-back text
          count(outcome.cancelled, "ordered"); // and its NPS question
          if (repeat.at + DEMO_FLOW_RULES.post_purchase.delayMinutes < scenario.endsAt) send("post_purchase");
        } else if (optedOut) {
          count(outcome.cancelled, "opted_out"); // the NPS question
          count(outcome.cancelled, "opted_out"); // the win-back text
        }
      }
      if (!optedOut && latest.at + DEMO_NPS_AFTER_MINUTES < scenario.endsAt) send("nps_survey");
    }

    for (const order of orders) {
      outcome.orders.total++;
      if (!order.flow) continue;
      outcome.orders.attributed++;
      outcome.orders.byFlow[order.flow]++;
      outcome.revenue.attributed += order.total;
      if (order.flow === "cart_recovery") outcome.revenue.recovered += order.total;
    }
  }
  outcome.revenue.recovered = roundCents(outcome.revenue.recovered);
  outcome.revenue.attributed = roundCents(outcome.revenue.attributed);
  outcome.lift.difference = liftDifference(outcome.lift.treated, outcome.lift.control);
  return outcome;
}

/** Zero texts or orders for every flow the demo reports. */
export function emptyByFlow(): Record<TextFlow, number> {
  return Object.fromEntries(Object.keys(DEMO_FLOW_RULES).map((flow) => [flow, 0])) as Record<TextFlow, number>;
}

/** Treated minus control conversion rate, rounded to 4 places; null without both groups. */
export function liftDifference(treated: Group, control: Group): number | null {
  if (treated.shoppers === 0 || control.shoppers === 0) return null;
  return Math.round((treated.converted / treated.shoppers - control.converted / control.shoppers) * 10_000) / 10_000;
}

export function roundCents(amount: number): number {
  return Math.round(amount * 100) / 100;
}

/** Where two outcomes differ, as "path: expected X, measured Y" lines (empty when they agree). */
export function compareOutcomes(expected: Outcome, measured: Outcome): string[] {
  const differences: string[] = [];
  const walk = (path: string, a: unknown, b: unknown) => {
    if (typeof a === "object" && a !== null && typeof b === "object" && b !== null) {
      for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) walk(path ? `${path}.${key}` : key, (a as Record<string, unknown>)[key] ?? 0, (b as Record<string, unknown>)[key] ?? 0);
    } else if (a !== b) differences.push(`${path}: expected ${JSON.stringify(a)}, measured ${JSON.stringify(b)}`);
  };
  const { texts, optOuts, orders, revenue, lift } = measured;
  walk("", { ...expected, ...withOrderedAsCancelled(expected) }, { texts, ...withOrderedAsCancelled(measured), optOuts, orders, revenue, lift });
  return differences;
}

/**
 * A text whose shopper paid first is either cancelled when the order arrives or, if the
 * dispatcher had already picked it up, skipped by the send-time guard ("ordered" both ways).
 * Which one depends on timing, not on the plan: count them together.
 */
function withOrderedAsCancelled(outcome: Pick<Outcome, "skipped" | "cancelled">): Pick<Outcome, "skipped" | "cancelled"> {
  const { ordered: skippedOrdered = 0, ...skipped } = outcome.skipped;
  const cancelled = { ...outcome.cancelled };
  if (skippedOrdered) cancelled.ordered = (cancelled.ordered ?? 0) + skippedOrdered;
  return { skipped, cancelled };
}
