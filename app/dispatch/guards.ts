import { checkoutConverted, consentStatus, latestOrder, NANP_REGIONS } from "../journey/state";
import { NANP_CART_WINDOW_HOURS, planMessages } from "../journey/plan";
import type { Flow, JourneySettings, JourneyState } from "../journey/types";
import { brokenCap, type FrequencyCap } from "../messaging/frequency-cap";
import { nextAllowedTime, type SendingWindow } from "../messaging/quiet-hours";
import { inHoldout } from "../offers/holdout";

export type SkipReason =
  | "no_phone"
  | "opted_out"
  | "no_consent"
  | "ordered"
  | "consent_after_abandonment"
  | "cart_window_passed"
  | "superseded"
  | "too_late"
  | "frequency_cap"
  | "holdout";

export type SendDecision =
  | { action: "send" }
  | { action: "skip"; reason: SkipReason }
  | { action: "defer"; until: Date; reason: "quiet_hours" | "rescheduled" };

export interface SendCheck {
  message: { key: string; flow: Flow; dueAt: Date; checkoutToken: string | null; orderId: string | null };
  shopper: { id: string; phone: string | null; state: JourneyState; timeZone: string; window: SendingWindow };
  /** When this shopper's earlier marketing texts went out. */
  recentSends: readonly Date[];
  caps: readonly FrequencyCap[];
  journey: JourneySettings;
  now: Date;
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

  let deadline: number | null = null;
  if (message.flow === "cart_recovery") {
    const checkout = message.checkoutToken ? state.checkouts[message.checkoutToken] : undefined;
    if (!checkout) return skip("superseded");
    if (checkoutConverted(state, message.checkoutToken!, checkout)) return skip("ordered");
    const nanp = state.phoneRegion === null || NANP_REGIONS.has(state.phoneRegion);
    // Carrier rule (CTIA) for US/CA: consent must predate the abandonment, 48 h at most.
    if (nanp && consent.since! > checkout.lastActivityAt) return skip("consent_after_abandonment");
    const windowHours = nanp ? Math.min(check.journey.cartRecovery.windowHours, NANP_CART_WINDOW_HOURS) : check.journey.cartRecovery.windowHours;
    deadline = checkout.lastActivityAt + windowHours * HOUR;
    if (now.getTime() > deadline) return skip("cart_window_passed");
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

  const opens = nextAllowedTime(now, shopper.timeZone, shopper.window);
  if (opens) {
    if (deadline !== null && opens.getTime() > deadline) return skip("cart_window_passed");
    return { action: "defer", until: opens, reason: "quiet_hours" };
  }
  if (brokenCap(check.recentSends, now, check.caps)) return skip("frequency_cap");
  // The control group, decided last: only a text that would otherwise go out now is held out,
  // so control and treated are drawn from the same population. A shopper who is capped, or
  // deferred past their cart window, is in neither group (docs/decisions/005).
  if (inHoldout(shopper.id, message.flow, check.journey.holdoutPercent[message.flow])) return skip("holdout");
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

function skip(reason: SkipReason): SendDecision {
  return { action: "skip", reason };
}
