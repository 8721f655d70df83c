import type { CheckoutFacts, ConsentEntry, JourneyState, OrderFacts, Stage } from "./types";

// Bounds keep a shopper's state row small no matter how long they have been around.
const MAX_CONSENT_ENTRIES = 20;
export const MAX_CHECKOUTS = 20;
export const MAX_ORDERS = 50;

export function initialState(phoneRegion: string | null = null): JourneyState {
  return {
    phoneRegion,
    consentLog: [],
    checkouts: {},
    orders: {},
    views: {},
    carts: {},
    orderCount: 0,
    lastMessageAt: null,
    lastDeliveredAt: null,
    lastClickAt: null,
  };
}

export interface ConsentStatus {
  granted: boolean;
  /** Start of the current, unbroken grant; null when not granted. */
  since: number | null;
  /** Source of the grant that started the current period. */
  source: ConsentEntry["source"] | null;
}

/**
 * Consent is decided by time, not by arrival order: the latest entry wins, and an opt-out
 * wins a tie with an opt-in (when in doubt, don't text).
 */
export function consentStatus(log: readonly ConsentEntry[]): ConsentStatus {
  let since: number | null = null;
  let source: ConsentEntry["source"] | null = null;
  for (const entry of sortConsent(log)) {
    if (entry.kind === "out") {
      since = null;
      source = null;
    } else if (since === null) {
      since = entry.at;
      source = entry.source;
    }
  }
  return { granted: since !== null, since, source };
}

function sortConsent(log: readonly ConsentEntry[]): ConsentEntry[] {
  // Within one instant, "in" sorts before "out" so that the opt-out is applied last; the
  // source breaks any remaining tie so the order is total.
  return [...log].sort((a, b) => a.at - b.at || compareText(a.kind, b.kind) || compareText(a.source, b.source));
}

export function addConsent(log: readonly ConsentEntry[], entry: ConsentEntry): ConsentEntry[] {
  const duplicate = log.some((e) => e.at === entry.at && e.kind === entry.kind && e.source === entry.source);
  if (duplicate) return [...log];
  return sortConsent([...log, entry]).slice(-MAX_CONSENT_ENTRIES);
}

export function mergeCheckout(existing: CheckoutFacts | undefined, update: CheckoutFacts): CheckoutFacts {
  if (!existing) return update;
  return {
    cartToken: pickStable(existing.cartToken, update.cartToken),
    startedAt: Math.min(existing.startedAt, update.startedAt),
    lastActivityAt: Math.max(existing.lastActivityAt, update.lastActivityAt),
    completedAt: minOfPresent(existing.completedAt, update.completedAt),
  };
}

/** One of two values, chosen by value rather than by which arrived first. */
export function pickStable(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a <= b ? a : b;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function minOfPresent(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

/** Keeps the `limit` newest entries by `time`, ties broken by key so the result is order-independent. */
export function keepNewest<T>(record: Record<string, T>, limit: number, time: (value: T) => number): Record<string, T> {
  const keys = Object.keys(record);
  if (keys.length <= limit) return record;
  const newest = keys.sort((a, b) => time(record[b]!) - time(record[a]!) || compareText(a, b)).slice(0, limit);
  return Object.fromEntries(newest.map((key) => [key, record[key]!]));
}

export function latestOrder(state: JourneyState): [string, OrderFacts] | null {
  let best: [string, OrderFacts] | null = null;
  for (const [id, order] of Object.entries(state.orders)) {
    if (!best || order.at > best[1].at || (order.at === best[1].at && id > best[0])) best = [id, order];
  }
  return best;
}

/** Whether the shopper has bought what this checkout held, or anything since starting it. */
export function checkoutConverted(state: JourneyState, token: string, checkout: CheckoutFacts): boolean {
  if (checkout.completedAt !== null) return true;
  return Object.values(state.orders).some((order) => order.checkoutToken === token || (order.cartToken !== null && order.cartToken === checkout.cartToken) || order.at >= checkout.startedAt);
}

/**
 * awareness: known, nothing bought, nothing looked at; consideration: products viewed, a cart
 * or an open checkout;
 * conversion: one order; loyalty: repeat buyer. Derived from facts, so it can't drift.
 */
export function stageOf(state: JourneyState): Stage {
  if (state.orderCount >= 2) return "loyalty";
  if (state.orderCount === 1) return "conversion";
  const open = Object.entries(state.checkouts).some(([token, c]) => !checkoutConverted(state, token, c));
  // Looking at products or filling a cart is considering a purchase too (issue #18).
  const browsing = Object.keys(state.views).length > 0 || Object.keys(state.carts).length > 0;
  return open || browsing ? "consideration" : "awareness";
}
