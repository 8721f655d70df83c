/**
 * The journey engine's vocabulary. Times are epoch milliseconds so state stays plain JSON
 * and comparisons are cheap. See docs/decisions/002-journey-model.md.
 */

export type Stage = "awareness" | "consideration" | "conversion" | "loyalty";
export const STAGES: readonly Stage[] = ["awareness", "consideration", "conversion", "loyalty"];

export type Flow =
  | "welcome"
  | "browse_abandonment"
  | "cart_abandonment"
  | "cart_recovery"
  | "post_purchase"
  | "win_back"
  /** The NPS question, its own step of the post-purchase journey (issue #17, item 2). */
  | "nps_survey"
  | "confirm_optin";

/** Flows that follow up an abandonment (browse, cart or checkout): their texts wait for the cap. */
export const ABANDONMENT_FLOWS: readonly Flow[] = ["browse_abandonment", "cart_abandonment", "cart_recovery"];

type ConsentSource = "popup" | "checkout" | "shopify" | "sms" | "manual" | "carrier";

export type JourneyEvent =
  | { type: "opted_in"; at: number; source: ConsentSource }
  | { type: "opted_out"; at: number; source: ConsentSource }
  | {
      type: "checkout_updated";
      at: number;
      token: string;
      cartToken: string | null;
      startedAt: number;
      completedAt: number | null;
    }
  | {
      type: "order_created";
      at: number;
      orderId: string;
      checkoutToken: string | null;
      cartToken: string | null;
      /** Read from the shop's order history on install, not delivered by orders/create (ADR 014). */
      imported?: boolean;
    }
  | { type: "link_clicked"; at: number; messageKey: string }
  /** Storefront behaviour from the web pixel (issue #18, docs: Shopify standard events `product_viewed`). */
  | { type: "product_viewed"; at: number; productId: string; variantId: string | null; productTitle: string }
  /** A line added to the cart on the storefront (standard event `product_added_to_cart`). */
  | {
      type: "cart_item_added";
      at: number;
      productId: string;
      variantId: string;
      productTitle: string;
      quantity: number;
      /** The storefront cart's token when the pixel knows it (cart id without its key). */
      cartToken: string | null;
    }
  | { type: "message_sent" | "message_delivered" | "message_failed"; at: number; messageKey: string };

export interface ConsentEntry {
  at: number;
  kind: "in" | "out";
  source: ConsentSource;
}

export interface CheckoutFacts {
  cartToken: string | null;
  startedAt: number;
  lastActivityAt: number;
  completedAt: number | null;
}

export interface OrderFacts {
  at: number;
  checkoutToken: string | null;
  cartToken: string | null;
  /** Known only from the history import: recency and win-back count it, post-purchase doesn't. */
  imported?: true;
}

/** A product the shopper looked at on the storefront: its newest view times (bounded). */
export interface ProductViews {
  title: string;
  variantId: string | null;
  /** View times, oldest first, at most MAX_VIEWS_PER_PRODUCT of the newest. */
  viewedAt: number[];
}

interface CartLineFacts {
  productId: string;
  title: string;
  /** The largest quantity an add reported: a replayed pixel event can't inflate it. */
  quantity: number;
  addedAt: number;
}

/** A storefront cart seen through the pixel, keyed by cart token (or the day, without one). */
export interface CartFacts {
  lines: Record<string, CartLineFacts>;
  firstAddedAt: number;
  lastAddedAt: number;
}

export interface JourneyState {
  /** ISO 3166 region of the shopper's phone (US, CA, …), or null when unknown. */
  phoneRegion: string | null;
  /** Consent changes, oldest first, capped. */
  consentLog: ConsentEntry[];
  checkouts: Record<string, CheckoutFacts>;
  orders: Record<string, OrderFacts>;
  /** Products viewed on the storefront, newest few (issue #18). */
  views: Record<string, ProductViews>;
  /** Storefront carts, newest few, lines keyed by variant id (issue #18). */
  carts: Record<string, CartFacts>;
  /** Orders ever seen, including ones pruned from `orders`. */
  orderCount: number;
  lastMessageAt: number | null;
  lastDeliveredAt: number | null;
  lastClickAt: number | null;
}

interface StepSettings {
  delayMinutes: number;
  discountPercent: number | null;
}

/** A single-text storefront abandonment flow (browse or cart). */
export interface StorefrontFlowSettings {
  enabled: boolean;
  /** After the abandonment (the last view or the last add to cart). */
  delayMinutes: number;
  discountPercent: number | null;
  /** No text later than this after the abandonment (capped at 48 h for US/CA). */
  windowHours: number;
  discountExpiryHours: number;
}

type HoldoutFlow = "welcome" | "browse_abandonment" | "cart_abandonment" | "cart_recovery" | "post_purchase" | "win_back";

export interface JourneySettings {
  /** Share of eligible shoppers (0–50 %) held out of a flow as its control group. */
  holdoutPercent: Record<HoldoutFlow, number>;
  welcome: { enabled: boolean; delayMinutes: number; discountPercent: number | null; discountExpiryHours: number };
  cartRecovery: {
    enabled: boolean;
    /** Steps for numbers outside US/CA (up to 3). US/CA numbers get only the first, by carrier rule. */
    steps: StepSettings[];
    /** No cart text later than this after the abandonment (capped at 48 h for US/CA). */
    windowHours: number;
    discountExpiryHours: number;
  };
  /** Viewed a product twice or more, nothing added to the cart since (issue #18). */
  browseAbandonment: StorefrontFlowSettings;
  /** Added to the cart, no checkout started since (issue #18). */
  cartAbandonment: StorefrontFlowSettings;
  postPurchase: {
    enabled: boolean;
    delayMinutes: number;
    discountPercent: number | null;
    discountExpiryHours: number;
    /** "How likely are you to recommend us? Reply 0–10", this many days after the order (issue #17). */
    npsQuestion: { enabled: boolean; afterDays: number };
  };
  winBack: { enabled: boolean; afterDays: number; discountPercent: number | null; discountExpiryHours: number };
  /** A message that could not be scheduled until this long after its due time is not scheduled at all. */
  maxLateHours: number;
  /** Storefront sign-ups count only after the shopper replies Y to a confirmation text. */
  doubleOptIn: boolean;
}

/** What the engine wants to exist in the outbox. */
export interface PlannedMessage {
  key: string;
  flow: Flow;
  step: number;
  dueAt: number;
  checkoutToken?: string;
  orderId?: string;
  discount?: { percent: number; expiresInHours: number };
}

export type CancelReason =
  | "opted_out"
  | "ordered"
  | "checkout_completed"
  | "checkout_updated"
  /** A cart add after product views, or a checkout after a cart add: the next flow takes over. */
  | "handed_over"
  | "no_longer_eligible"
  | "settings_changed";

export type Command =
  | { type: "schedule"; message: Omit<PlannedMessage, "discount"> }
  | { type: "requestDiscount"; key: string; percent: number; expiresInHours: number }
  /** Cancel pending (not yet sent) messages: the listed keys, or every one the shopper has. */
  | { type: "cancel"; keys: string[] | "all"; reason: CancelReason };

export interface Transition {
  state: JourneyState;
  stage: Stage;
  commands: Command[];
}
