import { describe, expect, it } from "vitest";
import { describeCart } from "./compose";
import { countSegments } from "./segments";

const line = (title: string, quantity: number, variantTitle: string | null = null) => ({ title, quantity, variantTitle });

describe("describeCart", () => {
  it("names the first item, its quantity and how many more there are", () => {
    expect(describeCart([line("Pink iPod Nano", 1)])).toBe("Pink iPod Nano");
    expect(describeCart([line("Nano", 2, "Pink"), line("Case", 1), line("Cable", 3)])).toBe("2 x Pink Nano and 2 more items");
    expect(describeCart([line("Gone", 0)])).toBeNull();
  });

  it("keeps a cart line in GSM-7, so a quantity doesn't turn the text into 70-character segments", () => {
    const text = `Hey Maya! You left ${describeCart([line("Merino crew socks", 2)])} in your cart at Snow Devil. Reply STOP to opt out`;
    expect(countSegments(text)).toMatchObject({ encoding: "GSM-7", segments: 1 });
  });
});
