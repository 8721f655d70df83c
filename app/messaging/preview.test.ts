import { describe, expect, it } from "vitest";
import { previewTemplate } from "./preview";

describe("previewTemplate", () => {
  it("renders the sample shopper with brand and STOP wording, and counts segments", () => {
    const check = previewTemplate("cart_recovery", "Hey {{first_name}}! {{cart_items}} is waiting: {{checkout_link}}", "Snow Devil", 10);
    expect(check.body).toBe("Snow Devil: Hey Maya! Charcoal Wool Beanie and 1 more item is waiting: https://nudge.app/r/Ab3dE6gH9k\nReply STOP to opt out");
    expect(check).toMatchObject({ encoding: "GSM-7", segments: 1, errors: [] });
    expect(check.notes.join(" ")).toContain("is added at the start");
  });

  it("flags unknown tokens and warns when an emoji makes the text Unicode", () => {
    const check = previewTemplate("welcome", "Welcome 🎉 {{nickname}}", "Snow Devil", 15);
    expect(check.errors).toEqual(["Unknown token {{nickname}}"]);
    expect(check.encoding).toBe("UCS-2");
    expect(check.notes.join(" ")).toContain("70 characters per segment");
  });
});
