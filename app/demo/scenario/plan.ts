import { AREA_CODES, CATALOG, FIRST_NAMES, LAST_NAMES } from "./catalog";
import { seededRandom, type Random } from "./random";

/**
 * A demo scenario: who shops in the simulated store, when, and how each shopper reacts to
 * the texts they get. Pure and seeded: the same options always give the same scenario.
 *
 * Times are minutes after the scenario starts, at 08:00 in the shoppers' zone (all numbers
 * are Eastern). Everything a shopper does on their own falls between 09:00 and 15:00, and
 * every reaction within about two hours, so no text meets quiet hours (8am–9pm, 8pm in
 * Florida) and nothing happens near the scenario's end at 21:00 on its last day.
 */
export interface ScenarioOptions {
  seed: number;
  /** How many shoppers visit, spread over the days. At most 1,000 (the 555-01xx numbers). */
  shoppers: number;
  /** Days of store activity. */
  days: number;
  /**
   * Whether the run goes on until the texts that follow purchases (a day later) and the
   * reactions to them are over. The short CI scenario ends the evening of its last day.
   */
  followUps: boolean;
}

type ShopperKind =
  /** Signs up through the storefront popup (app proxy) and gets the welcome text. */
  | "subscriber"
  /** Ticks SMS marketing at checkout, then leaves the checkout. */
  | "abandoner"
  /** Ticks SMS marketing at checkout and pays a minute later, before any text is due. */
  | "quick_buyer"
  /** Doesn't tick SMS marketing; may buy anyway. Never texted. */
  | "no_consent";

export type Reaction =
  | { kind: "ignore" }
  | { kind: "click"; afterMinutes: number }
  /** Follows the link, then orders with the text's code. */
  | { kind: "click_and_buy"; afterMinutes: number; buyAfterMinutes: number }
  | { kind: "stop"; afterMinutes: number }
  /** Shops with the code from a text that has no link (the welcome text carries just the code). */
  | { kind: "buy_with_code"; afterMinutes: number };

export interface CartLine {
  productId: number;
  variantId: number;
  sku: string;
  title: string;
  variant: string | null;
  price: number;
  quantity: number;
}

/**
 * What a subscriber does on the storefront after signing up, as the web pixel reports it
 * (issue #18): looks at a product twice and leaves (a browse text follows), or adds it to the
 * cart and leaves (a cart text follows). Minutes after arriving; half-minutes, so no planned
 * event ever falls on the same simulated minute as a text.
 */
interface StorefrontVisit {
  kind: "browse" | "cart";
  viewsAt: number[];
  addToCartAt: number | null;
}

export interface PlannedShopper {
  index: number;
  kind: ShopperKind;
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  customerId: string;
  /** When they sign up on the storefront (subscribers) or open their checkout (the others). */
  arrivesAt: number;
  /** What they put in their cart (subscribers only buy it if a text brings them back). */
  cart: { token: string; lines: CartLine[]; subtotal: number };
  /** Minutes after arriving when they complete the checkout without any text; null: never. */
  buysUnpromptedAfter: number | null;
  /** To the first text they get (the welcome or the cart text). */
  onFirstText: Reaction;
  /** To the first text after their first order (the post-purchase text). Later texts: ignored. */
  onPostPurchaseText: Reaction;
  /** Product views and cart adds the pixel sees (subscribers who don't act on the welcome). */
  storefront: StorefrontVisit | null;
  /** Their reply to the NPS question a week after an order (issue #17); null: no reply. */
  npsAnswer: string | null;
}

/**
 * What shoppers answer to "How likely are you to recommend … Reply 0-10", in the forms people
 * type: mostly promoters, some passives and detractors, and some who don't answer. Taken by
 * index rather than drawn, so adding it left every seed's story as it was.
 */
const NPS_ANSWERS: readonly (string | null)[] = ["10", "9!", "I'd say 8", null, "10 out of 10", "7", "9", "6", "8/10", null, "10", "3"];

export interface Scenario {
  options: ScenarioOptions;
  shoppers: PlannedShopper[];
  /** When the run is over, in minutes after the start. */
  endsAt: number;
}

const DAY = 24 * 60;
/** The run's last evening, 21:00: nothing happens after 20:15 or before 08:00 on any day. */
const END_OF_DAY = 13 * 60;

export function planScenario(options: ScenarioOptions): Scenario {
  if (options.shoppers < 1 || options.shoppers > 1000) throw new RangeError("shoppers must be between 1 and 1000");
  if (options.days < 1 || options.days > 60) throw new RangeError("days must be between 1 and 60");
  const random = seededRandom(options.seed);
  const shoppers = Array.from({ length: options.shoppers }, (_, index) => planShopper(random, index, options));
  shoppers.sort((a, b) => a.arrivesAt - b.arrivesAt || a.index - b.index);
  const lastDay = options.days - 1 + (options.followUps ? 2 : 0);
  return { options, shoppers, endsAt: lastDay * DAY + END_OF_DAY };
}

function planShopper(random: Random, index: number, options: ScenarioOptions): PlannedShopper {
  const kind = random.weighted<ShopperKind>([
    ["subscriber", 20],
    ["abandoner", 60],
    ["quick_buyer", 10],
    ["no_consent", 10],
  ]);
  const firstName = random.pick(FIRST_NAMES);
  const lastName = random.pick(LAST_NAMES);
  const day = random.int(0, options.days - 1);
  // 09:00–15:00 local.
  const arrivesAt = day * DAY + 60 + random.int(0, 6 * 60);
  const cart = planCart(random, options.seed, index);

  let buysUnpromptedAfter: number | null = null;
  let onFirstText: Reaction = { kind: "ignore" };
  if (kind === "quick_buyer") buysUnpromptedAfter = 1;
  if (kind === "no_consent" && random.chance(0.6)) buysUnpromptedAfter = random.int(20, 120);
  if (kind === "abandoner") {
    // Some would have come back anyway (the control group shows how many); the rest respond
    // to the text, or don't.
    if (random.chance(0.15)) buysUnpromptedAfter = random.int(150, 180);
    else onFirstText = reaction(random, { buy: 0.32, click: 0.12, stop: 0.08 });
  }
  if (kind === "subscriber") {
    onFirstText = random.weighted<Reaction>([
      [{ kind: "buy_with_code", afterMinutes: random.int(30, 120) }, 30],
      [{ kind: "stop", afterMinutes: random.int(5, 60) }, 5],
      [{ kind: "ignore" }, 65],
    ]);
  }
  const onPostPurchaseText = reaction(random, { buy: 0.2, click: 0.1, stop: 0.03 }, 60, 15);
  // Subscribers who leave the welcome be go on browsing: alternately a browse and a cart
  // abandonment. Derived from the plan so far, not drawn, so the rest of the seed's story stays.
  const storefront: StorefrontVisit | null =
    kind === "subscriber" && onFirstText.kind === "ignore"
      ? index % 2 === 0
        ? { kind: "browse", viewsAt: [4.5, 8.5], addToCartAt: null }
        : { kind: "cart", viewsAt: [4.5], addToCartAt: 10.5 }
      : null;

  return {
    index,
    kind,
    firstName,
    lastName,
    email: `${firstName}.${lastName}.${index}@example.com`.toLowerCase(),
    phone: demoPhone(index),
    customerId: String(8_000_000_000 + index),
    arrivesAt,
    cart,
    buysUnpromptedAfter,
    onFirstText,
    onPostPurchaseText,
    storefront,
    npsAnswer: NPS_ANSWERS[index % NPS_ANSWERS.length]!,
  };
}

function reaction(random: Random, odds: { buy: number; click: number; stop: number }, maxClick = 90, maxBuy = 20): Reaction {
  const roll = random.next();
  if (roll < odds.buy) return { kind: "click_and_buy", afterMinutes: random.int(10, maxClick), buyAfterMinutes: random.int(5, maxBuy) };
  if (roll < odds.buy + odds.click) return { kind: "click", afterMinutes: random.int(10, maxClick) };
  if (roll < odds.buy + odds.click + odds.stop) return { kind: "stop", afterMinutes: random.int(5, 60) };
  return { kind: "ignore" };
}

function planCart(random: Random, seed: number, index: number): PlannedShopper["cart"] {
  const count = random.int(1, 3);
  const lines: CartLine[] = [];
  for (let i = 0; i < count; i++) {
    const product = random.pick(CATALOG);
    const existing = lines.find((line) => line.variantId === product.variantId);
    if (existing) existing.quantity++;
    else lines.push({ ...product, quantity: 1 });
  }
  const subtotal = lines.reduce((sum, line) => sum + line.price * line.quantity, 0);
  return { token: `demo${seed.toString(36)}c${index.toString(36).padStart(4, "0")}`, lines, subtotal };
}

/** +1 <area> 555-01xx: ten Eastern area codes, a hundred fictional lines each. */
export function demoPhone(index: number): string {
  const area = AREA_CODES[index % AREA_CODES.length]!;
  const line = 100 + Math.floor(index / AREA_CODES.length);
  return `+1${area}5550${String(line).padStart(3, "0")}`;
}

/** What an order comes to with a percentage code: cents rounded half up, as Shopify does. */
export function orderTotal(subtotal: number, discountPercent: number | null): number {
  if (!discountPercent) return subtotal;
  return Math.round(subtotal * (100 - discountPercent)) / 100;
}
