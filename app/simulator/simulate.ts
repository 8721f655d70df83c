import { decideSend, type DeferReason, type SkipReason } from "../dispatch/guards";
import { carrierRuleApplies } from "../journey/carrier-rule";
import { consentStatus, initialState } from "../journey/state";
import { transition } from "../journey/transition";
import type { CancelReason, Command, Flow, JourneyEvent, JourneySettings, JourneyState } from "../journey/types";
import type { FrequencyCap } from "../messaging/frequency-cap";
import type { SendingWindow } from "../messaging/quiet-hours";
import type { ScenarioStep } from "./scenarios";

/**
 * The journey simulator: plays a scenario through the real journey engine (transition) and
 * the real send-time guards (decideSend), in simulated time, and reports every text that
 * would go out, be deferred, skipped or cancelled, and why. Nothing here is a copy of the
 * engine's rules: change a rule there and the simulator follows. Pure.
 */
export interface SimulationInput {
  shopperId: string;
  phoneRegion: string | null;
  timeZone: string;
  window: SendingWindow;
  caps: readonly FrequencyCap[];
  journey: JourneySettings;
  start: number;
  steps: readonly ScenarioStep[];
  /** How far past the last shopper action to keep running (win-back is months away). */
  horizonDays?: number;
  /** The text a message would carry, for the report (the service composes it). */
  compose?: (message: { key: string; flow: Flow; step: number; discountPercent: number | null; index: number }) => string;
}

export type TimelineRow =
  | { at: number; kind: "action"; step: number; label: string }
  | { at: number; kind: "scheduled"; key: string; flow: Flow; step: number; dueAt: number }
  | { at: number; kind: "sent"; key: string; flow: Flow; step: number; index: number; body: string | null }
  | { at: number; kind: "deferred"; key: string; flow: Flow; step: number; until: number; reason: DeferReason }
  | { at: number; kind: "skipped"; key: string; flow: Flow; step: number; reason: SkipReason }
  | { at: number; kind: "cancelled"; key: string; flow: Flow; step: number; reason: CancelReason };

export interface SimulationResult {
  timeline: TimelineRow[];
  /** Steps that never happened (a click on a text that was never sent) and other facts. */
  notes: string[];
  /** Texts still scheduled when the simulation stopped. */
  pending: { key: string; flow: Flow; dueAt: number }[];
}

interface OutboxEntry {
  key: string;
  flow: Flow;
  step: number;
  dueAt: number;
  checkoutToken: string | null;
  orderId: string | null;
  discountPercent: number | null;
  status: "scheduled" | "sent" | "skipped" | "cancelled";
  sentAt: number | null;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export function simulateJourney(input: SimulationInput): SimulationResult {
  const timeline: TimelineRow[] = [];
  const notes: string[] = [];
  const outbox = new Map<string, OutboxEntry>();
  const sent: OutboxEntry[] = [];
  let state: JourneyState = initialState(input.phoneRegion);
  let pointer = 0;
  let previousAt = input.start;
  let checkouts = 0;
  let orders = 0;
  let lastCheckout: string | null = null;

  const feed = (event: JourneyEvent) => {
    const result = transition(state, event, event.at, input.journey);
    state = result.state;
    applyCommands(result.commands, event.at);
  };

  // Mirrors the outbox's upsert (services/outbox.server.ts): sent or skipped rows never move.
  const applyCommands = (commands: Command[], at: number) => {
    const discounts = new Map(commands.flatMap((c) => (c.type === "requestDiscount" ? [[c.key, c.percent] as const] : [])));
    for (const command of commands) {
      if (command.type === "cancel") {
        for (const entry of outbox.values()) {
          if (entry.status !== "scheduled" || (command.keys !== "all" && !command.keys.includes(entry.key))) continue;
          entry.status = "cancelled";
          timeline.push({ at, kind: "cancelled", key: entry.key, flow: entry.flow, step: entry.step, reason: command.reason });
        }
      } else if (command.type === "schedule") {
        const m = command.message;
        const existing = outbox.get(m.key);
        if (existing && existing.status !== "scheduled" && existing.status !== "cancelled") continue;
        outbox.set(m.key, {
          key: m.key,
          flow: m.flow,
          step: m.step,
          dueAt: m.dueAt,
          checkoutToken: m.checkoutToken ?? null,
          orderId: m.orderId ?? null,
          discountPercent: discounts.get(m.key) ?? null,
          status: "scheduled",
          sentAt: null,
        });
        timeline.push({ at, kind: "scheduled", key: m.key, flow: m.flow, step: m.step, dueAt: m.dueAt });
      }
    }
  };

  const stepTime = (step: ScenarioStep): number => {
    if (step.afterText === undefined) return previousAt + step.afterMinutes * MINUTE;
    const text = sent[step.afterText - 1];
    return text ? text.sentAt! + step.afterMinutes * MINUTE : Number.POSITIVE_INFINITY;
  };

  const act = (step: ScenarioStep, at: number) => {
    timeline.push({ at, kind: "action", step: pointer + 1, label: describeStep(step) });
    switch (step.action) {
      case "subscribe":
        return feed({ type: "opted_in", at, source: step.source ?? "popup" });
      case "reply_stop":
        return feed({ type: "opted_out", at, source: "sms" });
      case "abandon_checkout":
        lastCheckout = `sim-checkout-${++checkouts}`;
        return feed({ type: "checkout_updated", at, token: lastCheckout, cartToken: `${lastCheckout}-cart`, startedAt: at, completedAt: null });
      case "buy":
        return feed({ type: "order_created", at, orderId: `sim-order-${++orders}`, checkoutToken: lastCheckout, cartToken: lastCheckout ? `${lastCheckout}-cart` : null });
      case "click_text": {
        const text = sent[(step.afterText ?? sent.length) - 1];
        return text ? feed({ type: "link_clicked", at, messageKey: text.key }) : undefined;
      }
    }
  };

  const deliver = (entry: OutboxEntry, now: number) => {
    const decision = decideSend({
      message: { key: entry.key, flow: entry.flow, dueAt: new Date(entry.dueAt), checkoutToken: entry.checkoutToken, orderId: entry.orderId },
      shopper: { id: input.shopperId, phone: "simulated", state, timeZone: input.timeZone, window: input.window },
      recentSends: sent.filter((s) => s.flow !== "confirm_optin").map((s) => ({ at: new Date(s.sentAt!), flow: s.flow })),
      caps: input.caps,
      journey: input.journey,
      now: new Date(now),
    });
    const base = { at: now, key: entry.key, flow: entry.flow, step: entry.step };
    if (decision.action === "defer") {
      entry.dueAt = decision.until.getTime();
      timeline.push({ ...base, kind: "deferred", until: entry.dueAt, reason: decision.reason });
    } else if (decision.action === "skip") {
      entry.status = "skipped";
      timeline.push({ ...base, kind: "skipped", reason: decision.reason });
    } else {
      entry.status = "sent";
      entry.sentAt = now;
      sent.push(entry);
      const body = input.compose?.({ key: entry.key, flow: entry.flow, step: entry.step, discountPercent: entry.discountPercent, index: sent.length }) ?? null;
      timeline.push({ ...base, kind: "sent", index: sent.length, body });
      feed({ type: "message_sent", at: now, messageKey: entry.key });
    }
  };

  const horizon = () => previousAt + (input.horizonDays ?? 120) * DAY;
  for (let guard = 0; guard < 1000; guard++) {
    const nextStep = pointer < input.steps.length ? stepTime(input.steps[pointer]!) : Number.POSITIVE_INFINITY;
    const due = [...outbox.values()].filter((e) => e.status === "scheduled").sort((a, b) => a.dueAt - b.dueAt)[0];
    const nextDue = due?.dueAt ?? Number.POSITIVE_INFINITY;
    if (Math.min(nextStep, nextDue) > horizon()) break;
    // A shopper's action at the very moment a text falls due comes first, as a webhook
    // committed before the sender takes the shopper's lock would.
    if (nextStep <= nextDue) {
      act(input.steps[pointer]!, nextStep);
      previousAt = nextStep;
      pointer++;
    } else {
      deliver(due!, nextDue);
    }
  }

  for (const [index, step] of input.steps.entries()) {
    if (index < pointer) continue;
    const why = step.afterText === undefined ? "it falls outside the simulated period" : `text ${step.afterText} was never sent`;
    notes.push(`Step ${index + 1} (${describeStep(step)}) never happened: ${why}.`);
    break;
  }
  notes.push(...unplannedCartNotes(state, outbox, input));
  const pending = [...outbox.values()].filter((e) => e.status === "scheduled").map((e) => ({ key: e.key, flow: e.flow, dueAt: e.dueAt }));
  return { timeline, notes, pending };
}

/** Why an abandoned checkout got no cart text at all (the engine never planned one). */
function unplannedCartNotes(state: JourneyState, outbox: Map<string, OutboxEntry>, input: SimulationInput): string[] {
  const notes: string[] = [];
  const consent = consentStatus(state.consentLog);
  const nanp = carrierRuleApplies(state.phoneRegion);
  for (const [token, checkout] of Object.entries(state.checkouts)) {
    if ([...outbox.keys()].some((key) => key.startsWith(`cart:${token}:`))) continue;
    if (!input.journey.cartRecovery.enabled) notes.push("No cart text: the abandoned checkout flow is off.");
    else if (Object.values(state.orders).some((o) => o.checkoutToken === token)) notes.push("No cart text: the shopper bought before any was planned.");
    else if (!consent.granted && state.consentLog.length === 0) notes.push("No cart text: the shopper never agreed to texts.");
    else if (!consent.granted) notes.push("No cart text: the shopper had opted out.");
    else if (nanp && consent.since !== null && consent.since > checkout.lastActivityAt) {
      notes.push("No cart text: the shopper subscribed after abandoning, and US/Canadian carrier rules allow cart texts only to earlier subscribers.");
    } else notes.push("No cart text was planned for this checkout.");
  }
  return notes;
}

function describeStep(step: ScenarioStep): string {
  const what = {
    subscribe: step.source === "checkout" ? "Ticks “text me” at checkout" : "Signs up in the popup",
    abandon_checkout: "Leaves a checkout",
    click_text: `Clicks the link in text ${step.afterText ?? "?"}`,
    buy: "Buys",
    reply_stop: "Replies STOP",
  }[step.action];
  return what;
}
