import { appProxyQuery, postSignedWebhook } from "../shopify-payloads";
import { DEMO_SHOP } from "../session-token.server";
import type { ShopperWords } from "../scenario/shopper-words";
import type { PhoneSimulator } from "../phones/phone-simulator.server";
import { DEMO_CAMPAIGN_TEXT } from "../scenario/campaign";
import { DEMO_FLOW_RULES, type TextFlow } from "../scenario/expected-outcome";
import { orderTotal, type PlannedShopper, type Reaction, type Scenario } from "../scenario/plan";
import type { SimClock } from "./sim-clock";
import { demoCheckout, demoClientId, demoOrder, demoPixelBatch } from "./store-payloads";

/**
 * The demo's store simulator: plays a scenario against the running app through its real
 * front doors. Checkouts and orders arrive as HMAC-signed webhooks, sign-ups through the app
 * proxy route with a valid proxy signature, product views and cart adds as the web pixel
 * reports them, and shoppers react to the texts that reach their
 * simulated phones: they follow the real /r/<id> link, buy with the code, or reply STOP.
 * Started only by scripts/demo.ts.
 */
export interface StoreSimulatorOptions {
  scenario: Scenario;
  appUrl: string;
  apiSecret: string;
  apiVersion: string;
  /** The app-clock time (ms) at which the scenario's minute 0 falls. */
  startAt: number;
  clock: SimClock;
  /** Without the built-in phones (TWILIO_API_BASE_URL set elsewhere), shoppers never see texts. */
  phones: PhoneSimulator | null;
  /** What shoppers text back in their own words: opt-outs and questions (app/demo/scenario/shopper-words.ts). Bare STOPs without it. */
  words?: ShopperWords;
  /** Subscribers who signed up before the run and get the merchant's campaign (app/demo/scenario/campaign.ts): they react to it as planned. */
  campaignAudience?: PlannedShopper[];
  log?: (line: string) => void;
}

export interface StoreActivity {
  signups: number;
  /** Product views and cart adds reported for subscribers (issue #18). */
  pixelEvents: number;
  checkouts: number;
  orders: number;
  clicks: number;
  stops: number;
  /** Replies to the NPS question (issue #17). */
  npsAnswers: number;
  failures: string[];
}

const MINUTE = 60_000;
/** How a phone tells the NPS question from the other texts (app/messaging/templates.ts NPS_QUESTION). */
const NPS_QUESTION = /How likely are you to recommend .+ to a friend\? Reply 0-10/;
const SHOPPER_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
const DISCLOSURE =
  "By signing up, you agree to receive recurring automated marketing texts from Nudge Demo Store at the number provided. Consent is not a condition of purchase. Msg & data rates may apply. Reply STOP to opt out, HELP for help.";

interface ShopperState {
  plan: PlannedShopper;
  /** A shopper does one thing at a time: their webhooks reach the app in the order they happen. */
  busy: Promise<void>;
  orders: number;
  firstTextSeen: boolean;
  postPurchaseTextSeen: boolean;
}

export function runStoreSimulator(options: StoreSimulatorOptions): { finished: Promise<StoreActivity>; stop(): void } {
  const { scenario, clock, startAt } = options;
  const log = options.log ?? (() => undefined);
  const activity: StoreActivity = { signups: 0, pixelEvents: 0, checkouts: 0, orders: 0, clicks: 0, stops: 0, npsAnswers: 0, failures: [] };
  const endsAt = startAt + scenario.endsAt * MINUTE;
  const byPhone = new Map<string, ShopperState>(
    [...scenario.shoppers, ...(options.campaignAudience ?? [])].map((plan) => [plan.phone, { plan, busy: Promise.resolve(), orders: 0, firstTextSeen: false, postPurchaseTextSeen: false }]),
  );
  const campaignPhones = new Set((options.campaignAudience ?? []).map((s) => s.phone));
  const pending = new Set<Promise<void>>();
  let stopped = false;

  const fail = (what: string, detail: unknown) => {
    const line = `${what}: ${detail instanceof Error ? detail.message : String(detail)}`;
    activity.failures.push(line);
    log(`! ${line}`);
  };

  /**
   * Runs a shopper's `action` when the app's clock reaches `time`. The plan keeps every action
   * well before the end; one that falls after it (a text that went out late on a busy
   * machine) still happens, so the run's outcome doesn't depend on the machine's speed.
   */
  const at = (state: ShopperState, time: number, what: string, action: () => Promise<void>) => {
    const work = clock
      .until(time)
      .then(() => {
        const turn = state.busy.then(() => (stopped ? undefined : action()));
        state.busy = turn.catch(() => undefined);
        return turn;
      })
      .catch((error) => fail(what, error));
    pending.add(work);
    void work.finally(() => pending.delete(work));
  };

  async function webhook(topic: string, payload: unknown) {
    const res = await postSignedWebhook(options.appUrl, payload, { topic, shop: DEMO_SHOP, secret: options.apiSecret, apiVersion: options.apiVersion });
    if (res.status !== 200) throw new Error(`${topic} webhook answered ${res.status}`);
  }

  async function signUp(shopper: PlannedShopper) {
    const query = new URLSearchParams(appProxyQuery({ shop: DEMO_SHOP, secret: options.apiSecret }));
    const res = await fetch(new URL(`/proxy/optin?${query}`, options.appUrl), {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": SHOPPER_UA, "x-forwarded-for": shopperIp(shopper.index) },
      body: JSON.stringify({
        phone: shopper.phone,
        country: "US",
        firstName: shopper.firstName,
        disclosureText: DISCLOSURE,
        disclosureVersion: "demo-1",
        pageUrl: `https://${DEMO_SHOP}/products/${shopper.cart.lines[0]!.sku.toLowerCase()}`,
        consent: true,
        clientId: demoClientId(shopper), // the web pixel's, from its _nudge_cid cookie
      }),
    });
    if (res.status !== 200) throw new Error(`opt-in answered ${res.status}: ${await res.text()}`);
    activity.signups++;
    log(`${name(shopper)} signed up for texts on the storefront`);
  }

  /**
   * A product view or cart add, as the web pixel (extensions/nudge-pixel) posts it to the
   * collector: Shopify's standard event in a batch. The shopper signed up from this browser, so
   * the collector knows them by the pixel's client id.
   */
  async function pixelEvent(shopper: PlannedShopper, kind: "view" | "add", time: number) {
    const res = await fetch(new URL("/pixel/events", options.appUrl), {
      method: "POST",
      headers: { "content-type": "text/plain", origin: `https://${DEMO_SHOP}`, "user-agent": SHOPPER_UA, "x-forwarded-for": shopperIp(shopper.index) },
      body: JSON.stringify(demoPixelBatch(shopper, kind, new Date(time))),
    });
    const body = (await res.json().catch(() => ({}))) as { status?: string };
    if (res.status !== 202 || body.status !== "fed") throw new Error(`pixel batch answered ${res.status} ${JSON.stringify(body)}`);
    activity.pixelEvents++;
    log(`${name(shopper)} ${kind === "view" ? "looked at" : "added to the cart"} ${shopper.cart.lines[0]!.title}`);
  }

  async function checkout(shopper: PlannedShopper, time: number) {
    await webhook("checkouts/create", demoCheckout(shopper, new Date(time), shopper.kind !== "no_consent"));
    activity.checkouts++;
    log(`${name(shopper)} started a checkout ($${shopper.cart.subtotal})`);
  }

  async function order(state: ShopperState, time: number, via: { flow: TextFlow | "campaign"; code: string | null } | null) {
    const shopper = state.plan;
    const total = orderTotal(shopper.cart.subtotal, via?.code && via.flow !== "campaign" ? DEMO_FLOW_RULES[via.flow].percent : null);
    const completesCheckout = !via || via.flow === "cart_recovery";
    const id = 9_100_000_000 + shopper.index * 10 + state.orders;
    state.orders++;
    await webhook("orders/create", demoOrder(shopper, { id, at: new Date(time), checkout: completesCheckout, total, code: via?.code ?? null }));
    activity.orders++;
    log(`${name(shopper)} ordered ($${total.toFixed(2)}${via?.code ? ` with ${via.code}` : ""})`);
  }

  /** Follows the text's tracked link as a phone's browser would; returns the discount code it applied. */
  async function click(shopper: PlannedShopper, body: string): Promise<string | null> {
    const link = body.match(/https?:\/\/\S+\/r\/[0-9A-Za-z]{10}/)?.[0];
    if (!link) throw new Error(`no tracked link in the text to ${shopper.phone}`);
    const first = await fetch(link, { redirect: "manual", headers: { "user-agent": SHOPPER_UA } });
    const location = first.headers.get("location");
    if (first.status !== 302 || !location) throw new Error(`${link} answered ${first.status}`);
    const landing = await fetch(new URL(location, link), { headers: { "user-agent": SHOPPER_UA } });
    if (!landing.ok) throw new Error(`${location} answered ${landing.status}`);
    activity.clicks++;
    log(`${name(shopper)} tapped the link in their text`);
    // A checkout text links through /discount/<code>; browse and cart texts through a cart permalink's ?discount=<code>.
    const code = location.match(/\/discount\/([^/?#]+)/)?.[1] ?? location.match(/[?&]discount=([^&#]+)/)?.[1];
    return code ? decodeURIComponent(code) : null;
  }

  function answerNps(state: ShopperState, answer: string, when: number) {
    const shopper = state.plan;
    at(state, when, `NPS answer from ${shopper.phone}`, async () => {
      const { status } = await options.phones!.reply(shopper.phone, answer);
      if (status !== 200) throw new Error(`inbound NPS answer answered ${status}`);
      activity.npsAnswers++;
      log(`${name(shopper)} answered the NPS question: "${answer}"`);
    });
  }

  function react(state: ShopperState, reaction: Reaction, flow: TextFlow | "campaign", body: string, arrivedAt: number) {
    const shopper = state.plan;
    if (reaction.kind === "ignore") return;
    const when = arrivedAt + reaction.afterMinutes * MINUTE;
    if (reaction.kind === "stop") {
      const words = options.words?.optOut(shopper.phone) ?? "STOP";
      at(state, when, `STOP from ${shopper.phone}`, async () => {
        const { status } = await options.phones!.reply(shopper.phone, words);
        if (status !== 200) throw new Error(`inbound STOP answered ${status}`);
        activity.stops++;
        log(`${name(shopper)} replied "${words}"`);
      });
      return;
    }
    if (reaction.kind === "buy_with_code") {
      const code = body.match(/\b[A-Z]+-[A-HJKMNP-Z2-9]{8}\b/)?.[0] ?? null;
      at(state, when, `order by ${shopper.phone}`, () => order(state, clock.now(), { flow, code }));
      return;
    }
    at(state, when, `click by ${shopper.phone}`, async () => {
      const code = await click(shopper, body);
      if (reaction.kind === "click_and_buy") {
        at(state, when + reaction.buyAfterMinutes * MINUTE, `order by ${shopper.phone}`, () => order(state, clock.now(), { flow, code }));
      }
    });
  }

  /** A shopper who does nothing else with the post-purchase text may ask the store something: it lands in the inbox. */
  function ask(state: ShopperState, arrivedAt: number) {
    const question = state.plan.onPostPurchaseText.kind === "ignore" ? options.words?.question(state.plan.phone) : null;
    if (!question) return;
    at(state, arrivedAt + 20 * MINUTE, `question from ${state.plan.phone}`, async () => {
      const { status } = await options.phones!.reply(state.plan.phone, question);
      if (status !== 200) throw new Error(`inbound question answered ${status}`);
      log(`${name(state.plan)} asked "${question}"`);
    });
  }

  options.phones?.onText((text) => {
    const state = byPhone.get(text.to);
    if (!state || stopped) return;
    const arrivedAt = clock.now();
    // The campaign's subscribers read only the campaign's text, and act on it as planned.
    if (campaignPhones.has(text.to)) {
      if (DEMO_CAMPAIGN_TEXT.test(text.body) && !state.firstTextSeen) {
        state.firstTextSeen = true;
        react(state, state.plan.onFirstText, "campaign", text.body, arrivedAt);
      }
      return;
    }
    // The NPS question (issue #17) is answered, if at all, within the hour, in the shopper's own words.
    if (NPS_QUESTION.test(text.body)) {
      const answer = state.plan.npsAnswer;
      if (answer) answerNps(state, answer, arrivedAt + (10 + (state.plan.index % 50)) * MINUTE);
      return;
    }
    // The shopper's situation says which text this is: before any order, the welcome or the
    // cart text; after one, the post-purchase text. Later texts are read and left.
    if (state.orders === 0 && !state.firstTextSeen) {
      state.firstTextSeen = true;
      react(state, state.plan.onFirstText, state.plan.kind === "subscriber" ? "welcome" : "cart_recovery", text.body, arrivedAt);
    } else if (state.orders > 0 && !state.postPurchaseTextSeen) {
      state.postPurchaseTextSeen = true;
      react(state, state.plan.onPostPurchaseText, "post_purchase", text.body, arrivedAt);
      ask(state, arrivedAt);
    }
  });

  // Payloads carry the app-clock time at which they are sent, as Shopify stamps events when
  // they happen; the plan only says when to send them.
  for (const shopper of options.campaignAudience ?? []) options.phones?.register(shopper.phone, `${shopper.firstName} ${shopper.lastName}`);
  for (const shopper of scenario.shoppers) {
    const state = byPhone.get(shopper.phone)!;
    options.phones?.register(shopper.phone, `${shopper.firstName} ${shopper.lastName}`);
    const arrives = startAt + shopper.arrivesAt * MINUTE;
    if (shopper.kind === "subscriber") {
      at(state, arrives, `sign-up by ${shopper.phone}`, () => signUp(shopper));
      for (const minutes of shopper.storefront?.viewsAt ?? []) {
        at(state, arrives + minutes * MINUTE, `product view by ${shopper.phone}`, () => pixelEvent(shopper, "view", clock.now()));
      }
      const addAt = shopper.storefront?.addToCartAt;
      if (addAt != null) at(state, arrives + addAt * MINUTE, `add to cart by ${shopper.phone}`, () => pixelEvent(shopper, "add", clock.now()));
    } else if (shopper.kind === "quick_buyer") {
      // Pays within a minute. Shopify delivers webhooks out of order, and here the order
      // lands before the checkout that led to it: the app must not text about a checkout
      // that is already paid. (In that order the outcome doesn't hang on how fast this
      // machine answers: checkout first, a slow answer at thousands of times real speed can
      // let the 20-minute text fall due before the order arrives.)
      at(state, arrives, `checkout by ${shopper.phone}`, async () => {
        const startedAt = clock.now();
        await order(state, startedAt + MINUTE, null);
        await checkout(shopper, startedAt);
      });
    } else {
      at(state, arrives, `checkout by ${shopper.phone}`, () => checkout(shopper, clock.now()));
      if (shopper.buysUnpromptedAfter !== null) {
        at(state, arrives + shopper.buysUnpromptedAfter * MINUTE, `order by ${shopper.phone}`, () => order(state, clock.now(), null));
      }
    }
  }

  const finished = (async () => {
    await clock.until(endsAt);
    while (pending.size > 0) await Promise.allSettled([...pending]);
    return activity;
  })();
  return {
    finished,
    stop: () => void (stopped = true),
  };
}

function name(shopper: PlannedShopper) {
  return `${shopper.firstName} ${shopper.lastName[0]}. (${shopper.phone})`;
}

/** Each shopper browses from their own address (documentation ranges, RFC 5737). */
function shopperIp(index: number): string {
  return `${["192.0.2", "198.51.100", "203.0.113"][index % 3]}.${1 + (Math.floor(index / 3) % 254)}`;
}
