import { SegmentedMessage } from "sms-segments-calculator";
import UnicodeToGsm from "sms-segments-calculator/dist/libs/UnicodeToGSM";

export interface SegmentInfo {
  encoding: "GSM-7" | "UCS-2";
  segments: number;
  characters: number;
}

/**
 * GSM-7 fits 160 characters in one segment (153 when split); one character outside it
 * (an emoji, a curly quote) turns the whole text into UCS-2: 70, then 67 per segment.
 */
export function countSegments(body: string): SegmentInfo {
  const quick = countGsm7(body) ?? countSimpleUcs2(body);
  if (quick) return quick;
  const message = new SegmentedMessage(body, "auto");
  return {
    encoding: message.encodingName === "UCS-2" ? "UCS-2" : "GSM-7",
    segments: message.segmentsCount,
    characters: message.numberOfCharacters,
  };
}

/**
 * The common cases without the calculator's grapheme splitting (the dispatcher's biggest CPU
 * cost when profiled, docs/benchmarks.md): a text whose every character is in the calculator's
 * own GSM-7 table (extension characters take two septets). Segments pack greedily, 160 septets
 * alone or 153 each with the concatenation header, and a two-septet character is never split,
 * as the calculator does. Null (use the calculator) for anything else, and for CR LF, which the
 * calculator reads as one two-character grapheme.
 */
function countGsm7(body: string): SegmentInfo | null {
  let septets = 0;
  for (let i = 0; i < body.length; i++) {
    const units = UnicodeToGsm[body.charCodeAt(i)]?.length;
    if (!units || (body.charCodeAt(i) === 13 && body.charCodeAt(i + 1) === 10)) return null;
    septets += units;
  }
  if (septets <= 160) return { encoding: "GSM-7", segments: 1, characters: septets };
  let segments = 1;
  let used = 0;
  for (let i = 0; i < body.length; i++) {
    const units = UnicodeToGsm[body.charCodeAt(i)]!.length;
    if (used + units > 153) {
      segments++;
      used = 0;
    }
    used += units;
  }
  return { encoding: "GSM-7", segments, characters: septets };
}

/**
 * A text outside GSM-7 made only of characters that are each a grapheme of their own (Latin
 * up to U+02FF, general punctuation and currency signs, e.g. × ’ – …): 70 UTF-16 units alone,
 * 67 with the header, one character each. Null for anything else (emoji, combining marks,
 * other scripts, CR LF), which the calculator handles.
 */
function countSimpleUcs2(body: string): SegmentInfo | null {
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    const simple = c < 0x0300 || (c >= 0x2010 && c <= 0x2027) || (c >= 0x2030 && c <= 0x205e) || (c >= 0x20a0 && c <= 0x20c0);
    if (!simple || (c === 13 && body.charCodeAt(i + 1) === 10)) return null;
  }
  return { encoding: "UCS-2", segments: body.length <= 70 ? 1 : Math.ceil(body.length / 67), characters: body.length };
}
