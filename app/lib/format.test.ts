import { describe, expect, it } from "vitest";
import { formatMoney, formatPercent, formatPoints, shopDateTime } from "./format";

describe("formatMoney", () => {
  it("writes an amount in the shop's currency", () => {
    expect(formatMoney(1234.5, "USD")).toBe("$1,234.50");
    expect(formatMoney(58, "EUR")).toBe("€58.00");
    expect(formatMoney(50, "CAD", { digits: 0 })).toBe("CA$50");
    expect(formatMoney(0.0079, "USD", { digits: 4 })).toBe("$0.0079");
  });

  it("uses the currency's own decimals", () => {
    expect(formatMoney(1000, "JPY")).toBe("¥1,000");
  });

  it("writes the bare number without a currency, and the code when Intl can't read it", () => {
    expect(formatMoney(12, null)).toBe("12.00");
    expect(formatMoney(12, "XYZ1")).toBe("12.00 XYZ1");
  });
});

describe("formatPercent and formatPoints", () => {
  it("writes a rate to one decimal, and a dash for none", () => {
    expect(formatPercent(0.1234)).toBe("12.3%");
    expect(formatPercent(0)).toBe("0.0%");
    expect(formatPercent(null)).toBe("–");
  });

  it("signs a difference in percentage points", () => {
    expect(formatPoints(0.015)).toBe("+1.5");
    expect(formatPoints(-0.004)).toBe("-0.4");
    expect(formatPoints(0)).toBe("+0.0");
  });
});

describe("shopDateTime", () => {
  it("writes an instant in the shop's zone, the same formatter for the same zone", () => {
    const at = new Date("2026-12-06T20:04:00Z");
    expect(shopDateTime("America/New_York").format(at)).toBe("Dec 6, 2026, 3:04 PM");
    expect(shopDateTime("Europe/Berlin").format(at)).toBe("Dec 6, 2026, 9:04 PM");
    expect(shopDateTime("America/New_York")).toBe(shopDateTime("America/New_York"));
  });
});
