import { SegmentedMessage } from "sms-segments-calculator";

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
  const message = new SegmentedMessage(body, "auto");
  return {
    encoding: message.encodingName === "UCS-2" ? "UCS-2" : "GSM-7",
    segments: message.segmentsCount,
    characters: message.numberOfCharacters,
  };
}
