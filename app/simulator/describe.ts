import type { TimelineRow } from "./simulate";

const FLOW_NAMES: Record<string, string> = {
  welcome: "Welcome",
  browse_abandonment: "Browse text",
  cart_abandonment: "Abandoned-cart text",
  cart_recovery: "Cart text",
  post_purchase: "Thank-you",
  win_back: "Win-back",
  nps_survey: "NPS question",
  confirm_optin: "Sign-up confirmation",
};

// Merchant wording for the guards' and engine's reason codes.
const REASONS: Record<string, string> = {
  quiet_hours: "quiet hours where the shopper is",
  ordered: "the shopper bought",
  opted_out: "the shopper opted out",
  no_consent: "no consent to texts",
  consent_after_abandonment: "subscribed after abandoning (US/Canada carrier rule)",
  cart_window_passed: "past the cart window (48 h in the US and Canada)",
  superseded: "a newer checkout, order or setting replaced it",
  too_late: "too late to be useful",
  frequency_cap: "frequency cap",
  frequency_cap_wait: "waiting for the frequency cap",
  browse_window_passed: "past the browse window",
  handed_over: "the shopper moved on: the next flow's text goes instead",
  browse_recently: "a browse text went out in the last 72 h",
  holdout: "control group",
  checkout_completed: "the checkout was completed",
  checkout_updated: "the checkout changed",
  no_longer_eligible: "no longer eligible",
  settings_changed: "the flow's settings changed",
};

export interface DescribedRow {
  at: number;
  tone: "success" | "info" | "warning" | "critical" | undefined;
  outcome: string;
  what: string;
  body: string | null;
}

/** A timeline row as the simulator page shows it. */
export function describeRow(row: TimelineRow, formatTime: (at: number) => string): DescribedRow {
  if (row.kind === "action") return { at: row.at, tone: undefined, outcome: "Shopper", what: row.label, body: null };
  const name = `${FLOW_NAMES[row.flow] ?? row.flow}${row.flow === "cart_recovery" ? ` ${row.step}` : ""}`;
  switch (row.kind) {
    case "scheduled":
      return { at: row.at, tone: "info", outcome: "Planned", what: `${name}, due ${formatTime(row.dueAt)}`, body: null };
    case "sent":
      return { at: row.at, tone: "success", outcome: `Sent (text ${row.index})`, what: name, body: row.body };
    case "deferred":
      return { at: row.at, tone: "warning", outcome: "Waits", what: `${name} waits until ${formatTime(row.until)}: ${REASONS[row.reason]}`, body: null };
    case "skipped":
      return { at: row.at, tone: "critical", outcome: "Not sent", what: `${name}: ${REASONS[row.reason] ?? row.reason}`, body: null };
    case "cancelled":
      return { at: row.at, tone: undefined, outcome: "Cancelled", what: `${name}: ${REASONS[row.reason] ?? row.reason}`, body: null };
  }
}
