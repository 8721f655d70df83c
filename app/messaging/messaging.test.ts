import { SegmentedMessage } from "sms-segments-calculator";
import { describe, expect, it } from "vitest";
import { applyComplianceFooter } from "./compliance";
import { brokenCap } from "./frequency-cap";
import { nextAllowedTime, sendingWindow } from "./quiet-hours";
import { countSegments } from "./segments";
import { DEFAULT_TEMPLATES, renderTemplate, unknownTokens } from "./templates";

describe("renderTemplate", () => {
  it("fills the tokens of the default cart template", () => {
    const text = renderTemplate(DEFAULT_TEMPLATES.cart_recovery, {
      first_name: "Ana",
      cart_items: "Pink iPod Nano",
      shop_name: "Snow Devil",
      discount_percent: "10",
      checkout_link: "https://snow.example/c/1",
    });
    expect(text).toBe("Hey Ana! You left Pink iPod Nano in your cart at Snow Devil. Here's 10% off: https://snow.example/c/1");
  });

  it("reads 'Hey there!' when the first name is missing or blank", () => {
    expect(renderTemplate("Hey {{first_name}}!", {})).toBe("Hey there!");
    expect(renderTemplate("Hey {{ first_name }}!", { first_name: "  " })).toBe("Hey there!");
  });

  it("inserts values as text, so a name that looks like a token is not expanded", () => {
    expect(renderTemplate("Hi {{first_name}}, code {{discount_code}}", { first_name: "{{discount_code}}", discount_code: "SAVE10" })).toBe("Hi {{discount_code}}, code SAVE10");
  });

  it("reports unknown tokens for the editor", () => {
    expect(unknownTokens("Hi {{first_name}} {{last_name}} {{ shop }}")).toEqual(["last_name", "shop"]);
  });
});

describe("applyComplianceFooter", () => {
  const rules = { brandName: "Snow Devil", firstMessageToNumber: false, marketing: true, optOutInEveryMarketingText: true };

  it("adds the opt-out line to marketing texts and keeps the brand that is already named", () => {
    expect(applyComplianceFooter("Snow Devil: 10% off today", rules)).toBe("Snow Devil: 10% off today\nReply STOP to opt out");
  });

  it("prefixes the brand when the text does not name it", () => {
    expect(applyComplianceFooter("10% off today", rules)).toBe("Snow Devil: 10% off today\nReply STOP to opt out");
  });

  it("always puts the opt-out line in the first message to a number", () => {
    const text = applyComplianceFooter("Snow Devil: thanks!", { ...rules, marketing: false, firstMessageToNumber: true });
    expect(text).toContain("Reply STOP to opt out");
  });

  it("does not repeat an opt-out line the template already has", () => {
    expect(applyComplianceFooter("Snow Devil: hi. Text STOP to end", rules)).toBe("Snow Devil: hi. Text STOP to end");
  });
});

describe("countSegments", () => {
  it("fits 160 GSM-7 characters in one segment and splits at 153", () => {
    expect(countSegments("a".repeat(160))).toEqual({ encoding: "GSM-7", segments: 1, characters: 160 });
    expect(countSegments("a".repeat(161)).segments).toBe(2);
  });

  it("switches the whole text to UCS-2 for one emoji or curly apostrophe", () => {
    expect(countSegments(`${"a".repeat(69)}🙂`).encoding).toBe("UCS-2");
    expect(countSegments("You’re in").encoding).toBe("UCS-2");
    expect(countSegments("a".repeat(71) + "’").segments).toBe(2);
  });

  it("counts texts exactly as the calculator does, extension characters, curly quotes and CR LF included", () => {
    // countSegments skips the calculator for GSM-7 and simple UCS-2 texts; it must agree with it.
    const gsm = ["a", "Z", "0", " ", ".", "@", "£", "é", "Ø", "\n", "\r", "\r\n", "€", "{", "[", "~", "^", "|", "\f"];
    const wide = [...gsm, "×", "’", "–", "…", "ł", "\u00ad", "\u2028", "e\u0301", "🙂", "👍🏽", "\u200d", "ß", "Ā"];
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), seed / 2 ** 31);
    const texts = ["", "€".repeat(80), "€".repeat(81), `${"a".repeat(152)}€${"b".repeat(10)}`, `${"a".repeat(159)}\r\n`];
    for (const n of [159, 160, 161, 305, 306, 307, 459, 460]) texts.push("a".repeat(n), `${"€".repeat(76)}${"a".repeat(n - 152)}`);
    for (const n of [69, 70, 71, 134, 135]) texts.push(`×${"a".repeat(n - 1)}`, `${"’".repeat(n - 1)}🙂`);
    for (const alphabet of [gsm, wide, ["a", " ", "×", "’", "–"], ["a", "×", "e\u0301", "\u00ad", "\u2028"]]) {
      for (let n = 0; n < 200; n++) texts.push(Array.from({ length: Math.floor(random() * 500) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(""));
    }
    for (const text of texts) {
      const reference = new SegmentedMessage(text, "auto");
      expect(countSegments(text), JSON.stringify(text)).toEqual({
        encoding: reference.encodingName,
        segments: reference.segmentsCount,
        characters: reference.numberOfCharacters,
      });
    }
  });
});

describe("quiet hours", () => {
  it("allows 8am to 9pm in the recipient's zone", () => {
    const window = sendingWindow(null);
    expect(nextAllowedTime(new Date("2026-11-24T14:00:00Z"), "America/New_York", window)).toBeNull(); // 9:00 EST
    expect(nextAllowedTime(new Date("2026-11-25T03:40:00Z"), "America/New_York", window)).toEqual(new Date("2026-11-25T13:00:00Z")); // 22:40 → 8:00
  });

  it("closes at 8pm in Florida, Oklahoma and Maryland", () => {
    const evening = new Date("2026-11-25T01:30:00Z"); // 20:30 in New York
    expect(nextAllowedTime(evening, "America/New_York", sendingWindow("Maryland"))).toEqual(new Date("2026-11-25T13:00:00Z"));
    expect(nextAllowedTime(evening, "America/New_York", sendingWindow("New York"))).toBeNull();
  });

  it("opens at 8am local time on the day clocks change", () => {
    // 2026-03-08 is the US spring-forward day: 8am EDT is 12:00Z, not 13:00Z.
    expect(nextAllowedTime(new Date("2026-03-08T06:00:00Z"), "America/New_York", sendingWindow(null))).toEqual(new Date("2026-03-08T12:00:00Z"));
  });
});

describe("frequency caps", () => {
  const now = new Date("2026-11-24T18:00:00Z");
  const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);

  it("allows one marketing text per 8 hours", () => {
    expect(brokenCap([hoursAgo(7)], now)).toEqual({ windowHours: 8, max: 1 });
    expect(brokenCap([hoursAgo(9)], now)).toBeNull();
  });

  it("allows three per 24 hours", () => {
    expect(brokenCap([hoursAgo(9), hoursAgo(17), hoursAgo(23)], now)).toEqual({ windowHours: 24, max: 3 });
    expect(brokenCap([hoursAgo(9), hoursAgo(17), hoursAgo(25)], now)).toBeNull();
  });
});
