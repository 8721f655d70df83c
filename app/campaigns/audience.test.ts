import { describe, expect, it } from "vitest";
import { audienceFromPicker, audiencePickerValue, describeAudience, segmentOption } from "./audience";
import { localSendWindow } from "./campaign-draft";
import { leftOutText } from "./left-out";

describe("the Audience picker's values", () => {
  it("reads a Shopify segment's gid, colons and all, and gives it back", () => {
    const audience = audienceFromPicker("segment:gid://shopify/Segment/123", 30, "Bought twice");
    expect(audience).toEqual({ kind: "segment", id: "gid://shopify/Segment/123", name: "Bought twice" });
    expect(audiencePickerValue(audience!)).toBe("segment:gid://shopify/Segment/123");
    expect(describeAudience(audience!)).toBe("Shopify segment: Bought twice");
    expect(segmentOption({ id: "gid://shopify/Segment/123", name: "Bought twice" })).toEqual({ label: "Shopify segment: Bought twice", value: "segment:gid://shopify/Segment/123" });
  });

  it("refuses anything but a segment gid", () => {
    expect(audienceFromPicker("segment:gid://shopify/Customer/123", 30)).toBeNull();
    expect(audienceFromPicker("segment:", 30)).toBeNull();
    expect(audienceFromPicker("stage:loyalty", 30)).toEqual({ kind: "stage", stage: "loyalty" });
  });
});

describe("a local-time campaign's window", () => {
  it("opens where the wall-clock time comes first (UTC+14) and closes where it comes last (UTC−12)", () => {
    expect(localSendWindow("2026-11-25T10:00")).toEqual({ first: new Date("2026-11-24T20:00:00Z"), last: new Date("2026-11-25T22:00:00Z"), time: "10:00" });
  });
});

describe("who an audience leaves out", () => {
  it("names a segment's members Nudge never met apart", () => {
    expect(leftOutText({ optedOut: 1, noConsent: 2, noPhone: 0 })).toBe("1 opted out, 2 without consent");
    expect(leftOutText({ optedOut: 0, noConsent: 1, noPhone: 1, unknown: 3 })).toBe("0 opted out, 1 without consent, 1 without a phone, 3 never subscribed through Nudge");
  });
});
