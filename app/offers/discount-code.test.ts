import { describe, expect, it } from "vitest";
import { discountLink, generateDiscountCode } from "./discount-code";

describe("discount codes and links", () => {
  it("makes readable single-use codes without look-alike characters", () => {
    const codes = new Set(Array.from({ length: 500 }, () => generateDiscountCode()));
    expect(codes.size).toBe(500);
    for (const code of codes) expect(code).toMatch(/^NUDGE-[A-HJKMNP-Z2-9]{8}$/);
  });

  it("links to /discount/<code> and back to the abandoned checkout's path", () => {
    expect(discountLink("snow.myshopify.com", "NUDGE-ABCD2345", "https://snow.myshopify.com/1/checkouts/abc?key=1")).toBe(
      "https://snow.myshopify.com/discount/NUDGE-ABCD2345?redirect=%2F1%2Fcheckouts%2Fabc%3Fkey%3D1",
    );
    expect(discountLink("snow.myshopify.com", "NUDGE-ABCD2345", null)).toBe("https://snow.myshopify.com/discount/NUDGE-ABCD2345");
  });

  it("never redirects off the shop, even for a foreign checkout URL", () => {
    const link = new URL(discountLink("snow.myshopify.com", "X", "https://evil.example/phish"));
    expect(link.host).toBe("snow.myshopify.com");
    expect(link.searchParams.get("redirect")).toBe("/phish");
  });

  it("links to a stand-in storefront when given one, keeping the code and the checkout path", () => {
    expect(discountLink("snow.myshopify.com", "NUDGE-ABCD2345", "https://snow.myshopify.com/1/checkouts/abc?key=1", "http://localhost:3000/demo/store/")).toBe(
      "http://localhost:3000/demo/store/discount/NUDGE-ABCD2345?redirect=%2F1%2Fcheckouts%2Fabc%3Fkey%3D1",
    );
  });
});
