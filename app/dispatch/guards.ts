import { abandonmentDeadline } from "../journey/carrier-rule";
import { checkoutConverted, consentStatus, latestOrder } from "../journey/state";
import { planMessages } from "../journey/plan";
import { browseEndedBy, browseMessageKey, cartEndedBy, cartKeyOfMessage, isRecentBrowseText, newestBrowseStreak } from "../journey/storefront";
import { ABANDONMENT_FLOWS, type Flow, type JourneySettings, type JourneyState } from "../journey/types";
import { brokenCap, capFreesAt, legalCaps, type FrequencyCap } from "../messaging/frequency-cap";
import { nextAllowedTime, type SendingWindow } from "../messaging/quiet-hours";
import { inHoldout } from "../offers/holdout";
import { decideCampaignSend, type CampaignFacts } from "./campaign-guard";

/** What the outbox's flow column holds: a journey flow, or a campaign's text (issue #19). */
export type OutboxFlow = Flow | "campaign";

export type SkipReason =
  | "no_phone"
  | "opted_out"
  | "no_consent"
  | "ordered"
  | "consent_after_abandonment"
  | "cart_window_passed"
  | "browse_window_passed"
  /** A checkout started after a cart add, or a cart add after product views: the next flow's text goes instead. */
  | "handed_over"
  /** A browse text already went out in the last 72 hours. */
  | "browse_recently"
  | "superseded"
  | "too_late"
  | "frequency_cap"
  | "holdout"
  /** A campaign text: the shopper was texted within the campaign's smart-sending hours. */
  | "smart_sending"
  | "campaign_cancelled";

export type SendDecision = { action: "send" } | { action: "skip"; reason: SkipReason } | { action: "defer"; until: Date; reason: DeferReason };

export type DeferReason = "quiet_hours" | "rescheduled" | "frequency_cap_wait" | "campaign_paused" | "conversation_pause";

/** A marketing text this shopper was sent (the double opt-in confirmation isn't one). */
interface SentText {
  at: Date;
  flow: OutboxFlow;
}

export interface SendCheck {
  message: { key: string; flow: OutboxFlow; dueAt: Date; checkoutToken: string | null; orderId: string | null };
  shopper: {
    id: string;
    phone: string | null;
    state: JourneyState;
    timeZone: string;
    window: SendingWindow;
    /** The phone's state or province, for state law caps (Florida, Oklahoma, Maryland). */
    subdivision?: string | null;
    /** The shopper texted a question: automated texts wait until then (conversation.paused_until, issue #21). */
    pausedUntil?: Date | null;
  };
  /** This shopper's earlier marketing texts, at least the last 72 hours of them. */
  recentSends: readonly SentText[];
  caps: readonly FrequencyCap[];
  journey: JourneySettings;
  now: Date;
  /** The campaign of a campaign text (flow "campaign"), read with the shopper at send time. */
  campaign?: CampaignFacts | null;
}

const HOUR = 3_600_000;

/**
 * The last word before a text goes out, re-checked at send time from the shopper's current
 * state, never from what was true when the message was scheduled. Pure.
 */
export function decideSend(check: SendCheck): SendDecision {
  const { message, shopper, now } = check;
  const { state } = shopper;
  if (!shopper.phone) return skip("no_phone");

  const consent = consentStatus(state.consentLog);
  if (message.flow === "confirm_optin") return decideConfirmation(check);
  if (!consent.granted) return skip(state.consentLog.some((e) => e.kind === "out") ? "opted_out" : "no_consent");
  if (message.flow === "campaign") return decideCampaignSend(check, check.campaign);

  let deadline: number | null = null;
  if (message.flow === "cart_recovery") {
    const checkout = message.checkoutToken ? state.checkouts[message.checkoutToken] : undefined;
    if (!checkout) return skip("superseded");
    if (checkoutConverted(state, message.checkoutToken!, checkout)) return skip("ordered");
    deadline = abandonmentDeadline(state.phoneRegion, consent.since!, checkout.lastActivityAt, check.journey.cartRecovery.windowHours);
    if (deadline === null) return skip("consent_after_abandonment");
    if (now.getTime() > deadline) return skip("cart_window_passed");
  } else if (message.flow === "cart_abandonment" || message.flow === "browse_abandonment") {
    const verdict = storefrontVerdict(check, consent.since!);
    if (typeof verdict === "string") return skip(verdict);
    deadline = verdict;
  } else if (message.orderId) {
    const latest = latestOrder(state);
    if (latest && latest[0] !== message.orderId) return skip(message.flow === "win_back" ? "ordered" : "superseded");
  }

  // Whatever else changed (flow turned off, step removed for a US number, …) shows up as
  // the engine no longer planning this message.
  const planned = planMessages(state, message.dueAt.getTime(), check.journey).find((m) => m.key === message.key);
  if (!planned) return skip("superseded");
  // A delay lengthened after this text was claimed (the replan moves only unclaimed rows): it
  // waits for its new time rather than leave early (tests/reliability/settings-race.test.ts).
  if (planned.dueAt > now.getTime()) return { action: "defer", until: new Date(planned.dueAt), reason: "rescheduled" };
  if (deadline === null && now.getTime() > message.dueAt.getTime() + check.journey.maxLateHours * HOUR) return skip("too_late");

  // A question the shopper texted pauses their automated texts, so a flow doesn't talk over
  // the merchant's answer; a text whose window closes first is dropped like one past quiet hours.
  if (shopper.pausedUntil && shopper.pausedUntil.getTime() > now.getTime()) {
    if (deadline !== null && shopper.pausedUntil.getTime() > deadline) return skip(windowPassed(message.flow));
    return { action: "defer", until: shopper.pausedUntil, reason: "conversation_pause" };
  }
  const opens = nextAllowedTime(now, shopper.timeZone, shopper.window);
  if (opens) {
    if (deadline !== null && opens.getTime() > deadline) return skip(windowPassed(message.flow));
    return { action: "defer", until: opens, reason: "quiet_hours" };
  }
  // The cap waits; it doesn't drop (issue #18): an abandonment text over it waits until the cap
  // allows it, while still inside its window, and is skipped only after. Other texts have no
  // window, and a late welcome or thank-you reads oddly: they are skipped as before.
  const counted = sendsCountedFor(message.flow, check.recentSends);
  const law = legalCaps(shopper.subdivision ?? null);
  if (brokenCap(counted, now, check.caps) || brokenCap(allSends(check.recentSends), now, law)) {
    if (deadline === null) return skip("frequency_cap");
    const frees = capsFreeAt(counted, allSends(check.recentSends), now, check.caps, law);
    if (frees.getTime() > deadline) return skip("frequency_cap");
    return { action: "defer", until: frees, reason: "frequency_cap_wait" };
  }
  // The control group, decided last: only a text that would otherwise go out now is held out,
  // so control and treated are drawn from the same population. A shopper who is capped, or
  // deferred past their cart window, is in neither group (docs/decisions/005).
  // The NPS question sells nothing, so it has no control group to measure a lift against.
  if (message.flow !== "nps_survey" && inHoldout(shopper.id, message.flow, check.journey.holdoutPercent[message.flow])) return skip("holdout");
  return { action: "send" };
}

/**
 * The double opt-in confirmation is the one text sent before consent: the shopper has just
 * asked for it on the storefront. It goes at once, unless they opted out since, or it is
 * more than a day old.
 */
function decideConfirmation({ message, shopper, now }: SendCheck): SendDecision {
  if (shopper.state.consentLog.some((e) => e.kind === "out" && e.at >= message.dueAt.getTime())) return skip("opted_out");
  if (consentStatus(shopper.state.consentLog).granted) return skip("superseded");
  if (now.getTime() > message.dueAt.getTime() + 24 * HOUR) return skip("too_late");
  return { action: "send" };
}

/**
 * Browse and cart texts (issue #18): still about the shopper's newest abandonment, not ended
 * by what they did since, under the carrier rule. Returns the window's end, or why not.
 */
function storefrontVerdict(check: SendCheck, consentSince: number): SkipReason | number {
  const { message, shopper, journey, now } = check;
  const { state } = shopper;
  let abandonedAt: number;
  if (message.flow === "cart_abandonment") {
    const cartKey = cartKeyOfMessage(message.key);
    const cart = cartKey !== null ? state.carts[cartKey] : undefined;
    if (!cart) return "superseded";
    const ended = cartEndedBy(state, cartKey!, cart);
    if (ended) return ended === "ordered" ? "ordered" : "handed_over";
    abandonedAt = cart.lastAddedAt;
  } else {
    const streak = newestBrowseStreak(state);
    if (!streak || browseMessageKey(streak) !== message.key) return "superseded";
    const ended = browseEndedBy(state, streak);
    if (ended) return ended === "ordered" ? "ordered" : "handed_over";
    const lastBrowse = Math.max(0, ...check.recentSends.filter((s) => s.flow === "browse_abandonment").map((s) => s.at.getTime()));
    if (isRecentBrowseText(lastBrowse || null, now.getTime())) return "browse_recently";
    abandonedAt = streak.lastViewAt;
  }
  const settings = message.flow === "cart_abandonment" ? journey.cartAbandonment : journey.browseAbandonment;
  const deadline = abandonmentDeadline(state.phoneRegion, consentSince, abandonedAt, settings.windowHours);
  if (deadline === null) return "consent_after_abandonment";
  if (now.getTime() > deadline) return windowPassed(message.flow);
  return deadline;
}

function windowPassed(flow: OutboxFlow): SkipReason {
  return flow === "browse_abandonment" ? "browse_window_passed" : "cart_window_passed";
}

/**
 * The sends the shop's caps count for this text. The welcome text the shopper just asked for
 * doesn't count against the first abandonment reminder after it (issue #18): a shopper who
 * signs up and abandons a checkout within 8 hours still gets the cart text.
 */
function sendsCountedFor(flow: Flow, sends: readonly SentText[]): Date[] {
  if (!ABANDONMENT_FLOWS.includes(flow)) return allSends(sends);
  const abandonment = ABANDONMENT_FLOWS as readonly OutboxFlow[];
  const lastWelcome = Math.max(0, ...sends.filter((s) => s.flow === "welcome").map((s) => s.at.getTime()));
  const reminderSince = sends.some((s) => abandonment.includes(s.flow) && s.at.getTime() >= lastWelcome);
  if (lastWelcome === 0 || reminderSince) return allSends(sends);
  return sends.filter((s) => s.flow !== "welcome").map((s) => s.at);
}

function allSends(sends: readonly SentText[]): Date[] {
  return sends.map((s) => s.at);
}

/** When neither the shop's caps (on the counted sends) nor the law's (on all sends) are broken. */
function capsFreeAt(counted: Date[], all: Date[], from: Date, caps: readonly FrequencyCap[], law: readonly FrequencyCap[]): Date {
  let at = from;
  for (let round = 0; round < 10; round++) {
    const next = capFreesAt(all, capFreesAt(counted, at, caps), law);
    if (next.getTime() === at.getTime()) break;
    at = next;
  }
  return at;
}

function skip(reason: SkipReason): SendDecision {
  return { action: "skip", reason };
}
