import { describe, expect, it } from "vitest";
import { DEFAULT_JOURNEY_SETTINGS } from "../journey";
import { DEFAULT_SENDING_SETTINGS } from "../messaging/settings";
import { replanCommands } from "../services/replan.server";
import { fromEditorState, splitDelay, toEditorState } from "./editor-state";
import { draftFromSettings, formatDelay, validateFlowDraft } from "./flow-draft";

describe("the flow editor's inputs", () => {
  it("shows delays in the largest unit that fits and converts them back to minutes", () => {
    expect(splitDelay(20)).toEqual({ amount: "20", unit: "minutes" });
    expect(splitDelay(120)).toEqual({ amount: "2", unit: "hours" });
    expect(splitDelay(48 * 60)).toEqual({ amount: "2", unit: "days" });
    expect(splitDelay(0)).toEqual({ amount: "0", unit: "minutes" });
    const draft = draftFromSettings("cart_recovery", DEFAULT_JOURNEY_SETTINGS, DEFAULT_SENDING_SETTINGS);
    expect(fromEditorState(toEditorState(draft), true)).toEqual(draft);
  });

  it("reads a blank or zero discount as no discount, and a blank delay as a mistake", () => {
    const state = toEditorState(draftFromSettings("welcome", DEFAULT_JOURNEY_SETTINGS, DEFAULT_SENDING_SETTINGS));
    const draft = fromEditorState({ ...state, steps: [{ amount: "", unit: "minutes", discount: "0" }] }, false);
    expect(draft.steps[0]!.discountPercent).toBeNull();
    expect(validateFlowDraft("welcome", draft, "Snowy")["steps.0.delayMinutes"]).toBe("Enter a delay");
  });

  it("keeps win-back in days after the last order, within 7–730 days", () => {
    const draft = draftFromSettings("win_back", DEFAULT_JOURNEY_SETTINGS, DEFAULT_SENDING_SETTINGS);
    expect(draft.steps[0]!.delayMinutes).toBe(60 * 24 * 60);
    expect(validateFlowDraft("win_back", { ...draft, steps: [{ delayMinutes: 3 * 24 * 60, discountPercent: 15 }] }, "Snowy")).toEqual({
      "steps.0.delayMinutes": "Between 7 days and 730 days",
    });
    expect(validateFlowDraft("win_back", draft, "Snowy")).toEqual({});
  });

  it("says delays the way a person would", () => {
    expect([0, 20, 90, 24 * 60, 26 * 60 + 5].map(formatDelay)).toEqual(["right away", "20 minutes", "1 hour 30 minutes", "1 day", "1 day 2 hours 5 minutes"]);
  });
});

describe("replanning one shopper's outbox", () => {
  const row = (key: string, dueAt: number, extra: Partial<{ status: string; reason: string | null; flow: string }> = {}) => ({
    shopper_id: "s",
    status: "scheduled",
    dedupe_key: key,
    flow: "cart_recovery",
    due_at: new Date(dueAt),
    reason: null,
    discount: { percent: 10 },
    ...extra,
  });
  const planned = (key: string, dueAt: number) => ({ key, flow: "cart_recovery" as const, step: 1, dueAt, checkoutToken: "t", discount: { percent: 10, expiresInHours: 48 } });

  it("leaves matching rows alone and keeps a quiet-hours deferral that is later than the new time", () => {
    expect(replanCommands([planned("a", 1000)], [row("a", 1000)])).toEqual([]);
    const deferred = replanCommands([planned("a", 1000)], [row("a", 5000, { reason: "quiet_hours" })]);
    expect(deferred).toEqual([]);
    const moved = replanCommands([planned("a", 9000)], [row("a", 5000, { reason: "quiet_hours" })]);
    expect(moved[0]).toMatchObject({ type: "schedule", message: { key: "a", dueAt: 9000 } });
  });

  it("cancels what is no longer planned, but never the double opt-in confirmation, and never moves history", () => {
    const commands = replanCommands([planned("sent", 2000)], [row("gone", 1000), row("confirm", 1000, { flow: "confirm_optin" }), row("sent", 1000, { status: "sent" })]);
    expect(commands).toEqual([{ type: "cancel", keys: ["gone"], reason: "settings_changed" }]);
  });
});
