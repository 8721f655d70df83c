import { planMessages } from "./plan";
import { addCartItem, addProductView } from "./storefront";
import { addConsent, keepNewest, MAX_CHECKOUTS, MAX_ORDERS, mergeCheckout, pickStable, stageOf } from "./state";
import type { CancelReason, Command, JourneyEvent, JourneySettings, JourneyState, PlannedMessage, Transition } from "./types";

/**
 * The journey engine: (state, event, now, settings) -> {state, stage, commands}. No I/O.
 *
 * Events only ever add facts (consent entries, checkouts, orders), merged with max/min and
 * set union, so any arrival order yields the same state. Commands are the difference
 * between the outbox plan before and after the event.
 */
export function transition(state: JourneyState, event: JourneyEvent, now: number, settings: JourneySettings): Transition {
  const next = applyEvent(state, event);
  const before = indexByKey(planMessages(state, now, settings));
  const after = planMessages(next, now, settings);
  const commands: Command[] = [];

  if (event.type === "opted_out") {
    // Belt and braces: drop everything pending, including rows an older plan no longer lists.
    commands.push({ type: "cancel", keys: "all", reason: "opted_out" });
  } else {
    const afterKeys = new Set(after.map((m) => m.key));
    const dropped = [...before.keys()].filter((key) => !afterKeys.has(key));
    const byReason = new Map<CancelReason, string[]>();
    for (const key of dropped) byReason.set(cancelReason(event, key), [...(byReason.get(cancelReason(event, key)) ?? []), key]);
    for (const [reason, keys] of byReason) commands.push({ type: "cancel", keys, reason });
  }

  const cancelledAll = event.type === "opted_out";
  for (const message of after) {
    if (!cancelledAll && sameMessage(before.get(message.key), message)) continue;
    const { discount, ...rest } = message;
    commands.push({ type: "schedule", message: rest });
    if (discount) commands.push({ type: "requestDiscount", key: message.key, ...discount });
  }
  return { state: next, stage: stageOf(next), commands };
}

export function applyEvent(state: JourneyState, event: JourneyEvent): JourneyState {
  switch (event.type) {
    case "opted_in":
    case "opted_out":
      return {
        ...state,
        consentLog: addConsent(state.consentLog, {
          at: event.at,
          kind: event.type === "opted_in" ? "in" : "out",
          source: event.source,
        }),
      };
    case "checkout_updated": {
      const merged = mergeCheckout(state.checkouts[event.token], {
        cartToken: event.cartToken,
        startedAt: Math.min(event.startedAt, event.at),
        lastActivityAt: event.at,
        completedAt: event.completedAt,
      });
      const checkouts = keepNewest({ ...state.checkouts, [event.token]: merged }, MAX_CHECKOUTS, (c) => c.lastActivityAt);
      return { ...state, checkouts };
    }
    case "order_created": {
      const seen = state.orders[event.orderId];
      // A replayed order (even with a different timestamp) merges into the one we know.
      // Imported until orders/create delivers it too: from then on it is a live order.
      const imported = event.imported === true && (seen ? seen.imported === true : true);
      const order = {
        at: seen ? Math.min(seen.at, event.at) : event.at,
        checkoutToken: seen ? pickStable(seen.checkoutToken, event.checkoutToken) : event.checkoutToken,
        cartToken: seen ? pickStable(seen.cartToken, event.cartToken) : event.cartToken,
        ...(imported ? { imported: true as const } : {}),
      };
      const orders = keepNewest({ ...state.orders, [event.orderId]: order }, MAX_ORDERS, (o) => o.at);
      return { ...state, orders, orderCount: state.orderCount + (seen ? 0 : 1) };
    }
    case "link_clicked":
      return { ...state, lastClickAt: maxOf(state.lastClickAt, event.at) };
    case "message_sent":
      return { ...state, lastMessageAt: maxOf(state.lastMessageAt, event.at) };
    case "message_delivered":
      return { ...state, lastDeliveredAt: maxOf(state.lastDeliveredAt, event.at) };
    case "message_failed":
      return state;
    // Storefront behaviour: the browse and cart abandonment flows (issue #18).
    case "product_viewed":
      return addProductView(state, event);
    case "cart_item_added":
      return addCartItem(state, event);
  }
}

function cancelReason(event: JourneyEvent, key: string): CancelReason {
  if (event.type === "order_created") return "ordered";
  // A started checkout hands a cart (or browse) text over to the checkout flow; a cart add
  // hands a browse text over to the cart flow (issue #18).
  const storefront = key.startsWith("cart_abandon:") || key.startsWith("browse:");
  if (event.type === "checkout_updated" && storefront && event.completedAt === null) return "handed_over";
  if (event.type === "checkout_updated") return event.completedAt !== null ? "checkout_completed" : "checkout_updated";
  if (event.type === "cart_item_added" && key.startsWith("browse:")) return "handed_over";
  return "no_longer_eligible";
}

function indexByKey(messages: PlannedMessage[]): Map<string, PlannedMessage> {
  return new Map(messages.map((m) => [m.key, m]));
}

function sameMessage(a: PlannedMessage | undefined, b: PlannedMessage): boolean {
  return a !== undefined && a.dueAt === b.dueAt && a.discount?.percent === b.discount?.percent;
}

function maxOf(a: number | null, b: number): number {
  return a === null ? b : Math.max(a, b);
}
