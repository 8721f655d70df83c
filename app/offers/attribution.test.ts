import { describe, expect, it } from "vitest";
import { isRecovered, pickLastTouch, type Touch } from "./attribution";

const touch = (messageId: string, flow: string, rule: Touch["rule"], at: string): Touch => ({ messageId, flow, checkoutToken: null, rule, at: new Date(at) });

describe("pickLastTouch", () => {
  it("credits the most recent touch before the order, whatever its rule", () => {
    const touches = [touch("welcome", "welcome", "click", "2026-11-20T10:00:00Z"), touch("cart", "cart_recovery", "code", "2026-11-21T10:00:00Z")];
    expect(pickLastTouch(touches, new Date("2026-11-22T10:00:00Z"))?.messageId).toBe("cart");
  });

  it("ignores touches after the order and returns null without any", () => {
    expect(pickLastTouch([touch("late", "welcome", "click", "2026-11-23T00:00:00Z")], new Date("2026-11-22T00:00:00Z"))).toBeNull();
    expect(pickLastTouch([], new Date())).toBeNull();
  });

  it("counts an order as recovered only when a cart text gets the credit", () => {
    expect(isRecovered(touch("c", "cart_recovery", "click", "2026-11-20T00:00:00Z"))).toBe(true);
    expect(isRecovered(touch("w", "welcome", "click", "2026-11-20T00:00:00Z"))).toBe(false);
  });
});
