import { describe, expect, it } from "vitest";
import { DEFAULT_JOURNEY_SETTINGS as journey } from "../journey/settings";
import { initialState } from "../journey/state";
import { applyEvent } from "../journey/transition";
import type { JourneyEvent } from "../journey/types";
import { DEFAULT_CAPS } from "../messaging/frequency-cap";
import { sendingWindow } from "../messaging/quiet-hours";
import { inHoldout } from "../offers/holdout";
import { holdoutKey, PAUSED_RECHECK_MS, type CampaignFacts } from "./campaign-guard";
import { decideSend, type SendCheck } from "./guards";

const T0 = new Date("2026-11-24T15:00:00Z"); // 10:00 in New York
const HOUR = 3_600_000;
const consented: JourneyEvent = { type: "opted_in", at: T0.getTime() - 48 * HOUR, source: "popup" };
const campaign: CampaignFacts = { id: "c0ffee00-0000-4000-8000-000000000001", status: "sending", smartSendingHours: 16, controlPercent: 0 };

function check(overrides: Partial<SendCheck> & { events?: JourneyEvent[]; shopperId?: string } = {}): SendCheck {
  const { events = [consented], shopperId = "shopper-1", ...rest } = overrides;
  return {
    message: { key: `campaign:${campaign.id}`, flow: "campaign", dueAt: T0, checkoutToken: null, orderId: null },
    shopper: { id: shopperId, phone: "+12125550100", state: events.reduce(applyEvent, initialState("US")), timeZone: "America/New_York", window: sendingWindow(null) },
    recentSends: [],
    caps: DEFAULT_CAPS,
    journey,
    now: T0,
    campaign,
    ...rest,
  };
}

/** A shopper id the campaign's hash puts in (or out of) a 10 % control group. */
function shopperIn(control: boolean): string {
  for (let i = 0; ; i++) if (inHoldout(`s-${i}`, holdoutKey(campaign.id), 10) === control) return `s-${i}`;
}

describe("decideSend for a campaign text", () => {
  it("sends to a consenting shopper in daytime", () => {
    expect(decideSend(check())).toEqual({ action: "send" });
  });

  it("never texts a shopper without consent or who opted out", () => {
    expect(decideSend(check({ events: [] }))).toEqual({ action: "skip", reason: "no_consent" });
    const out: JourneyEvent = { type: "opted_out", at: T0.getTime() - HOUR, source: "sms" };
    expect(decideSend(check({ events: [consented, out] }))).toEqual({ action: "skip", reason: "opted_out" });
  });

  it("waits for the morning in the shopper's zone, never texts at night", () => {
    const night = new Date("2026-11-25T03:00:00Z"); // 22:00 in New York
    expect(decideSend(check({ now: night, message: { ...check().message, dueAt: night } }))).toEqual({ action: "defer", until: new Date("2026-11-25T13:00:00Z"), reason: "quiet_hours" });
  });

  it("skips anyone texted within the smart-sending hours, and no one when it is off", () => {
    const recentSends = [{ at: new Date(T0.getTime() - 15 * HOUR), flow: "welcome" as const }];
    expect(decideSend(check({ recentSends }))).toEqual({ action: "skip", reason: "smart_sending" });
    expect(decideSend(check({ recentSends: [{ at: new Date(T0.getTime() - 17 * HOUR), flow: "welcome" }] }))).toEqual({ action: "send" });
    expect(decideSend(check({ recentSends, campaign: { ...campaign, smartSendingHours: 0 } }))).toEqual({ action: "send" });
  });

  it("holds out its control group last: a shopper skipped for another reason is in neither group", () => {
    const control = { ...campaign, controlPercent: 10 };
    expect(decideSend(check({ campaign: control, shopperId: shopperIn(true) }))).toEqual({ action: "skip", reason: "holdout" });
    expect(decideSend(check({ campaign: control, shopperId: shopperIn(false) }))).toEqual({ action: "send" });
    const recentSends = [{ at: new Date(T0.getTime() - HOUR), flow: "welcome" as const }];
    expect(decideSend(check({ campaign: control, shopperId: shopperIn(true), recentSends }))).toEqual({ action: "skip", reason: "smart_sending" });
  });

  it("skips over the frequency cap (a campaign has no window to wait in)", () => {
    const recentSends = [1, 2, 3].map((h) => ({ at: new Date(T0.getTime() - h * 24 * HOUR + HOUR), flow: "cart_recovery" as const }));
    const off = { ...campaign, smartSendingHours: 0 };
    expect(decideSend(check({ campaign: off, recentSends, caps: [{ windowHours: 24 * 7, max: 3 }] }))).toEqual({ action: "skip", reason: "frequency_cap" });
  });

  it("sends nothing for a cancelled campaign, and waits while it is paused", () => {
    expect(decideSend(check({ campaign: { ...campaign, status: "cancelled" } }))).toEqual({ action: "skip", reason: "campaign_cancelled" });
    expect(decideSend(check({ campaign: null }))).toEqual({ action: "skip", reason: "campaign_cancelled" });
    expect(decideSend(check({ campaign: { ...campaign, status: "paused" } }))).toEqual({ action: "defer", until: new Date(T0.getTime() + PAUSED_RECHECK_MS), reason: "campaign_paused" });
  });

  it("skips a text far past its time (the worker was down for days)", () => {
    const late = new Date(T0.getTime() + (journey.maxLateHours + 1) * HOUR);
    expect(decideSend(check({ now: late }))).toEqual({ action: "skip", reason: "too_late" });
  });
});
