import { describe, expect, it } from "vitest";
import { normalizePhone } from "./phone";

describe("normalizePhone", () => {
  it("keeps an E.164 number and reports its region", () => {
    expect(normalizePhone("+16135550123")).toEqual({ e164: "+16135550123", region: "CA" });
  });

  it("reads a national number in the given country", () => {
    expect(normalizePhone("(305) 555-0101", "US")).toEqual({ e164: "+13055550101", region: "US" });
    expect(normalizePhone("07700 900123", "GB")).toEqual({ e164: "+447700900123", region: "GB" });
  });

  it("falls back to the calling code's main country for a number in an unassigned range", () => {
    expect(normalizePhone("+447700900002")).toEqual({ e164: "+447700900002", region: "GB" });
  });

  it("rejects vanity and junk numbers instead of guessing", () => {
    expect(normalizePhone("555-555-BILL", "US")).toBeNull();
    expect(normalizePhone("12", "US")).toBeNull();
    expect(normalizePhone("", "US")).toBeNull();
    expect(normalizePhone(null)).toBeNull();
    expect(normalizePhone("'; DROP TABLE shopper; --")).toBeNull();
  });
});
