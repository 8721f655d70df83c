import { describe, expect, it } from "vitest";
import { DEFAULT_JOURNEY_SETTINGS as journey } from "../journey/settings";
import { initialState } from "../journey/state";
import { applyEvent } from "../journey/transition";
import type { JourneyEvent, JourneyState } from "../journey/types";
import { DEFAULT_CAPS } from "../messaging/frequency-cap";
import { sendingWindow } from "../messaging/quiet-hours";
import { inHoldout } from "../offers/holdout";
import { decideSend, type SendCheck } from "./guards";

const T0 = new Date("2026-11-24T15:00:00Z"); // 10:00 in New York
const MIN = 60_000;
const at = (ms: number) => new Date(T0.getTime() + ms);

function stateOf(events: JourneyEvent[], region: string | null = "US"): JourneyState {
  return events.reduce(applyEvent, initialState(region));
}
const consented: JourneyEvent = { type: "opted_in", at: T0.getTime() - 60 * MIN, source: "checkout" };
const abandoned: JourneyEvent = { type: "checkout_updated", at: T0.getTime(), token: "tok", cartToken: "cart", startedAt: T0.getTime(), completedAt: null };

function check(overrides: Partial<SendCheck> & { events?: JourneyEvent[]; now?: Date; subdivision?: string | null } = {}): SendCheck {
  const { events = [consented, abandoned], subdivision = null, ...rest } = overrides;
  return {
    message: { key: "cart:tok:1", flow: "cart_recovery", dueAt: at(20 * MIN), checkoutToken: "tok", orderId: null },
    shopper: { id: "shopper-1", phone: "+12125550100", state: stateOf(events), timeZone: "America/New_York", window: sendingWindow(subdivision) },
    recentSends: [],
    caps: DEFAULT_CAPS,
    journey,
    now: at(20 * MIN),
    ...rest,
  };
}

/** A cart text due at 21:50 New York two days ago, checked at 21:10: the next 8am is past its 48 h window. */
function pastCartWindow() {
  const abandonedAt = new Date("2026-11-23T02:30:00Z");
  const events: JourneyEvent[] = [{ ...consented, at: abandonedAt.getTime() - MIN }, { ...abandoned, at: abandonedAt.getTime(), startedAt: abandonedAt.getTime() } as JourneyEvent];
  return { events, now: new Date("2026-11-25T02:10:00Z"), message: { ...check().message, dueAt: new Date(abandonedAt.getTime() + 20 * MIN) } };
}

describe("decideSend", () => {
  it("sends a due cart text to a consenting shopper in daytime", () => {
    expect(decideSend(check())).toEqual({ action: "send" });
  });

  it("skips a shopper who opted out after the text was scheduled", () => {
    const optedOut: JourneyEvent = { type: "opted_out", at: T0.getTime() + 5 * MIN, source: "sms" };
    expect(decideSend(check({ events: [consented, abandoned, optedOut] }))).toEqual({ action: "skip", reason: "opted_out" });
  });

  it("skips a shopper with no consent on record", () => {
    expect(decideSend(check({ events: [abandoned] }))).toEqual({ action: "skip", reason: "no_consent" });
  });

  it("skips a shopper who bought since the text was scheduled", () => {
    const bought: JourneyEvent = { type: "order_created", at: T0.getTime() + 10 * MIN, orderId: "o1", checkoutToken: "tok", cartToken: null };
    expect(decideSend(check({ events: [consented, abandoned, bought] }))).toEqual({ action: "skip", reason: "ordered" });
  });

  it("skips a US cart text whose shopper consented only after abandoning", () => {
    const late: JourneyEvent = { type: "opted_in", at: T0.getTime() + MIN, source: "popup" };
    expect(decideSend(check({ events: [abandoned, late] }))).toEqual({ action: "skip", reason: "consent_after_abandonment" });
  });

  it("skips a US cart text more than 48 h after the abandonment", () => {
    expect(decideSend(check({ now: at(48 * 60 * MIN + MIN) }))).toEqual({ action: "skip", reason: "cart_window_passed" });
  });

  it("skips a second cart step for a US number (one text per abandonment)", () => {
    const step2 = { key: "cart:tok:2", flow: "cart_recovery" as const, dueAt: at(24 * 60 * MIN), checkoutToken: "tok", orderId: null };
    expect(decideSend(check({ message: step2, now: at(24 * 60 * MIN) }))).toEqual({ action: "skip", reason: "superseded" });
  });

  it("defers a text due at 22:40 local time to 8am, not drops it", () => {
    const late = new Date("2026-11-25T03:40:00Z"); // 22:40 New York
    const events: JourneyEvent[] = [consented, { ...abandoned, at: late.getTime() - 20 * MIN, startedAt: late.getTime() - 20 * MIN } as JourneyEvent];
    expect(decideSend(check({ events, now: late, message: { ...check().message, dueAt: late } }))).toEqual({
      action: "defer",
      until: new Date("2026-11-25T13:00:00Z"),
      reason: "quiet_hours",
    });
  });

  it("drops a cart text whose next daytime falls outside its 48 h window", () => {
    // Abandoned at 21:30 two days ago; it is now 21:10, window closes at 21:30, next 8am is too late.
    const { events, now, message } = pastCartWindow();
    expect(decideSend(check({ events, now, message }))).toEqual({ action: "skip", reason: "cart_window_passed" });
  });

  it("uses the 8pm close in Florida", () => {
    const now = new Date("2026-11-25T01:30:00Z"); // 20:30 in New York time zone
    const events: JourneyEvent[] = [consented, { ...abandoned, at: now.getTime() - 20 * MIN, startedAt: now.getTime() - 20 * MIN } as JourneyEvent];
    const message = { ...check().message, dueAt: now };
    expect(decideSend(check({ events, now, message, subdivision: "Florida" })).action).toBe("defer");
    expect(decideSend(check({ events, now, message, subdivision: "New York" })).action).toBe("send");
  });

  it("holds a cart text over the frequency cap until the cap allows it, inside its window", () => {
    // One text 2 h ago and a cap of 1 per 8 h: the cap frees 6 h from now.
    expect(decideSend(check({ recentSends: [{ at: at(-2 * 60 * MIN), flow: "post_purchase" }] }))).toEqual({
      action: "defer",
      until: at(6 * 60 * MIN),
      reason: "frequency_cap_wait",
    });
  });

  it("skips a capped cart text whose cap frees only after its window closes", () => {
    const journeyShort = { ...journey, cartRecovery: { ...journey.cartRecovery, windowHours: 4 } };
    expect(decideSend(check({ journey: journeyShort, recentSends: [{ at: at(-2 * 60 * MIN), flow: "post_purchase" }] }))).toEqual({
      action: "skip",
      reason: "frequency_cap",
    });
  });

  it("still skips a capped text that has no window (a post-purchase thank-you)", () => {
    const events: JourneyEvent[] = [consented, { type: "order_created", at: T0.getTime(), orderId: "o1", checkoutToken: null, cartToken: null }];
    const message = { key: "post_purchase:o1", flow: "post_purchase" as const, dueAt: at(24 * 60 * MIN), checkoutToken: null, orderId: "o1" };
    const recentSends = [{ at: at(23 * 60 * MIN), flow: "cart_recovery" as const }];
    expect(decideSend(check({ events, message, now: message.dueAt, recentSends }))).toEqual({ action: "skip", reason: "frequency_cap" });
  });

  it("doesn't count the welcome text against the first abandonment reminder after it", () => {
    const welcome = { at: at(-60 * MIN), flow: "welcome" as const };
    expect(decideSend(check({ recentSends: [welcome] }))).toEqual({ action: "send" });
    // A reminder already went out since the welcome: the welcome counts again for the next one.
    const reminder = { at: at(-30 * MIN), flow: "cart_recovery" as const };
    expect(decideSend(check({ recentSends: [welcome, reminder] }))).toMatchObject({ action: "defer", reason: "frequency_cap_wait" });
  });

  it("skips a win-back superseded by a newer order", () => {
    const events: JourneyEvent[] = [
      consented,
      { type: "order_created", at: T0.getTime(), orderId: "o1", checkoutToken: null, cartToken: null },
      { type: "order_created", at: T0.getTime() + 86_400_000, orderId: "o2", checkoutToken: null, cartToken: null },
    ];
    const message = { key: "win_back:o1", flow: "win_back" as const, dueAt: at(60 * 86_400_000), checkoutToken: null, orderId: "o1" };
    expect(decideSend(check({ events, message, now: message.dueAt }))).toEqual({ action: "skip", reason: "ordered" });
  });

  it("skips a shopper with no phone", () => {
    const base = check();
    expect(decideSend({ ...base, shopper: { ...base.shopper, phone: null } })).toEqual({ action: "skip", reason: "no_phone" });
  });
});

describe("decideSend for the double opt-in confirmation", () => {
  const confirm = { key: "confirm_optin:2026-11-24", flow: "confirm_optin" as const, dueAt: T0, checkoutToken: null, orderId: null };

  it("sends the confirmation before any consent exists, even at night", () => {
    const night = new Date("2026-11-25T04:00:00Z");
    expect(decideSend(check({ events: [], message: { ...confirm, dueAt: night }, now: night }))).toEqual({ action: "send" });
  });

  it("does not send it to someone who opted out after asking, or a day late", () => {
    const out: JourneyEvent = { type: "opted_out", at: T0.getTime() + MIN, source: "sms" };
    expect(decideSend(check({ events: [out], message: confirm, now: at(2 * MIN) }))).toEqual({ action: "skip", reason: "opted_out" });
    expect(decideSend(check({ events: [], message: confirm, now: at(25 * 60 * MIN) }))).toEqual({ action: "skip", reason: "too_late" });
  });
});

describe("decideSend while the shopper's question waits for the merchant (issue #21)", () => {
  const paused = (until: Date, overrides: Parameters<typeof check>[0] = {}): SendCheck => {
    const base = check(overrides);
    return { ...base, shopper: { ...base.shopper, pausedUntil: until } };
  };

  it("defers an automated text to the end of the pause", () => {
    expect(decideSend(paused(at(4 * 60 * MIN)))).toEqual({ action: "defer", until: at(4 * 60 * MIN), reason: "conversation_pause" });
  });

  it("sends once the pause is over", () => {
    expect(decideSend(paused(at(10 * MIN)))).toEqual({ action: "send" });
  });

  it("drops a cart text whose window closes before the pause ends", () => {
    expect(decideSend(paused(at(49 * 60 * MIN)))).toEqual({ action: "skip", reason: "cart_window_passed" });
  });

  it("never pauses an opted-out shopper's text into a send: the opt-out decides first", () => {
    const out: JourneyEvent = { type: "opted_out", at: T0.getTime() + MIN, source: "sms" };
    expect(decideSend(paused(at(4 * 60 * MIN), { events: [consented, abandoned, out] }))).toEqual({ action: "skip", reason: "opted_out" });
  });

  it("decides the pause before the control group, so a paused shopper is in neither", () => {
    const controlId = Array.from({ length: 500 }, (_, i) => `shopper-${i}`).find((id) => inHoldout(id, "cart_recovery", 10))!;
    const base = paused(at(4 * 60 * MIN));
    expect(decideSend({ ...base, shopper: { ...base.shopper, id: controlId } })).toMatchObject({ action: "defer", reason: "conversation_pause" });
  });
});

describe("decideSend for a shopper in the control group", () => {
  // A shopper the hash puts in cart recovery's 10 % control group.
  const controlId = Array.from({ length: 500 }, (_, i) => `shopper-${i}`).find((id) => inHoldout(id, "cart_recovery", 10))!;
  const inControl = (overrides: Parameters<typeof check>[0] = {}): SendCheck => {
    const base = check(overrides);
    return { ...base, shopper: { ...base.shopper, id: controlId } };
  };

  it("holds out a text that would otherwise go out now", () => {
    expect(decideSend(inControl())).toEqual({ action: "skip", reason: "holdout" });
  });

  it("counts a capped shopper as in neither group while the text waits for the cap, nor when its window closes", () => {
    const recentSends = [{ at: at(-2 * 60 * MIN), flow: "post_purchase" as const }];
    expect(decideSend(inControl({ recentSends }))).toMatchObject({ action: "defer", reason: "frequency_cap_wait" });
    const journeyShort = { ...journey, cartRecovery: { ...journey.cartRecovery, windowHours: 4 } };
    expect(decideSend(inControl({ recentSends, journey: journeyShort }))).toEqual({ action: "skip", reason: "frequency_cap" });
  });

  it("defers a night-time text as for anyone else, deciding the group only when it would go out", () => {
    const late = new Date("2026-11-25T03:40:00Z"); // 22:40 New York
    const events: JourneyEvent[] = [consented, { ...abandoned, at: late.getTime() - 20 * MIN, startedAt: late.getTime() - 20 * MIN } as JourneyEvent];
    expect(decideSend(inControl({ events, now: late, message: { ...check().message, dueAt: late } }))).toMatchObject({ action: "defer" });
  });

  it("counts a text deferred past its cart window as passed, not as control", () => {
    const { events, now, message } = pastCartWindow();
    expect(decideSend(inControl({ events, now, message }))).toEqual({ action: "skip", reason: "cart_window_passed" });
  });
});

describe("decideSend for browse and cart texts (issue #18)", () => {
  const added: JourneyEvent = { type: "cart_item_added", at: T0.getTime(), productId: "p", variantId: "4001", productTitle: "Trail Tent", quantity: 1, cartToken: "c1" };
  const viewed = (at: number): JourneyEvent => ({ type: "product_viewed", at, productId: "p", variantId: "4001", productTitle: "Trail Tent" });
  const cartText = { key: "cart_abandon:c1", flow: "cart_abandonment" as const, dueAt: at(60 * MIN), checkoutToken: null, orderId: null };
  const browseText = { key: `browse:p:${T0.getTime()}`, flow: "browse_abandonment" as const, dueAt: at(121 * MIN), checkoutToken: null, orderId: null };
  const withBrowse = { ...journey, browseAbandonment: { ...journey.browseAbandonment, enabled: true } };
  const cart = (events: JourneyEvent[], extra: Partial<SendCheck> = {}) => decideSend(check({ events, message: cartText, now: cartText.dueAt, ...extra }));
  const browse = (events: JourneyEvent[], extra: Partial<SendCheck> = {}) => decideSend(check({ events, message: browseText, now: browseText.dueAt, journey: withBrowse, ...extra }));

  it.each<[string, JourneyEvent[], ReturnType<typeof decideSend>]>([
    ["sends a due cart text", [consented, added], { action: "send" }],
    [
      "hands over to the checkout flow once a checkout started",
      [consented, added, { ...abandoned, at: T0.getTime() + MIN, startedAt: T0.getTime() + MIN } as JourneyEvent],
      { action: "skip", reason: "handed_over" },
    ],
    ["skips it after an order", [consented, added, { type: "order_created", at: T0.getTime() + MIN, orderId: "o", checkoutToken: null, cartToken: null }], { action: "skip", reason: "ordered" }],
    ["skips a US shopper who consented after the add (carrier rule)", [added, { ...consented, at: T0.getTime() + MIN }], { action: "skip", reason: "consent_after_abandonment" }],
    ["skips a shopper who never consented", [added], { action: "skip", reason: "no_consent" }],
  ])("%s", (_name, events, expected) => {
    expect(cart(events)).toEqual(expected);
  });

  it("skips a cart text after its window (24 h by default)", () => {
    expect(cart([consented, added], { now: at(24 * 60 * MIN + MIN) })).toEqual({ action: "skip", reason: "cart_window_passed" });
  });

  it("sends a browse text after two views, hands over on a cart add, and waits 72 h between browse texts", () => {
    const views = [consented, viewed(T0.getTime()), viewed(T0.getTime() + MIN)];
    expect(browse(views)).toEqual({ action: "send" });
    expect(browse([...views, { ...added, at: T0.getTime() + 2 * MIN }])).toEqual({ action: "skip", reason: "handed_over" });
    expect(browse(views, { recentSends: [{ at: at(-60 * 60 * MIN), flow: "browse_abandonment" }] })).toEqual({ action: "skip", reason: "browse_recently" });
    expect(browse(views, { recentSends: [{ at: at(-73 * 60 * MIN), flow: "browse_abandonment" }] })).toEqual({ action: "send" });
  });

  it("waits for the cap after the shopper's welcome and another text, then skips once the window closes", () => {
    const recentSends = [
      { at: at(-3 * 60 * MIN), flow: "welcome" as const },
      { at: at(-2 * 60 * MIN), flow: "cart_recovery" as const },
    ];
    // 1 per 8 h: the last text (2 h before T0) ages out 6 h after T0.
    expect(cart([consented, added], { recentSends })).toEqual({ action: "defer", until: at(6 * 60 * MIN), reason: "frequency_cap_wait" });
    const shortWindow = { ...journey, cartAbandonment: { ...journey.cartAbandonment, windowHours: 3 } };
    expect(cart([consented, added], { recentSends, journey: shortWindow })).toEqual({ action: "skip", reason: "frequency_cap" });
  });
});

describe("legal floors hold whatever the settings say", () => {
  const widest = {
    window: { startHour: 0, endHour: 24 },
    caps: [
      { windowHours: 8, max: 50 },
      { windowHours: 24, max: 50 },
    ],
  };
  const dueAt = (iso: string) => ({ ...check().message, dueAt: new Date(iso) });
  const widestCheck = (iso: string, subdivision: string | null, recentSends: SendCheck["recentSends"] = []) => {
    const t = Date.parse(iso);
    const events: JourneyEvent[] = [{ ...consented, at: t - 60 * MIN }, { ...abandoned, at: t - 20 * MIN, startedAt: t - 20 * MIN } as JourneyEvent];
    const base = check({ events, now: new Date(iso), message: dueAt(iso), recentSends, caps: widest.caps });
    return { ...base, shopper: { ...base.shopper, window: sendingWindow(subdivision, widest.window), subdivision } };
  };

  it("keeps the TCPA's 8am–9pm in the shopper's zone with a 0–24 window", () => {
    // 06:30 and 21:30 in New York: deferred to 8am; 20:30 goes.
    expect(decideSend(widestCheck("2026-11-24T11:30:00Z", "New York"))).toEqual({ action: "defer", until: new Date("2026-11-24T13:00:00Z"), reason: "quiet_hours" });
    expect(decideSend(widestCheck("2026-11-25T02:30:00Z", "New York"))).toEqual({ action: "defer", until: new Date("2026-11-25T13:00:00Z"), reason: "quiet_hours" });
    expect(decideSend(widestCheck("2026-11-25T01:30:00Z", "New York"))).toEqual({ action: "send" });
  });

  it.each(["Florida", "Oklahoma", "Maryland"])("keeps 8am–8pm and 3 texts per 24 h in %s with caps of 50", (state) => {
    expect(decideSend(widestCheck("2026-11-25T01:30:00Z", state))).toMatchObject({ action: "defer", reason: "quiet_hours" });
    const three = [1, 2, 3].map((h) => ({ at: at(-h * 60 * MIN), flow: "post_purchase" as const }));
    expect(decideSend(widestCheck(T0.toISOString(), state, three))).toMatchObject({ action: "defer", reason: "frequency_cap_wait" });
    expect(decideSend(widestCheck(T0.toISOString(), "New York", three))).toEqual({ action: "send" });
  });

  it("counts the welcome against the state-law cap, which the shop's exemption doesn't touch", () => {
    const sends = [
      { at: at(-3 * 60 * MIN), flow: "welcome" as const },
      { at: at(-2 * 60 * MIN), flow: "post_purchase" as const },
      { at: at(-1 * 60 * MIN), flow: "win_back" as const },
    ];
    expect(decideSend(widestCheck(T0.toISOString(), "Florida", sends))).toMatchObject({ action: "defer", reason: "frequency_cap_wait" });
  });
});
