import { describe, expect, it, vi } from "vitest";
import { sendingWindow } from "../messaging/quiet-hours";
import { phoneGeo } from "./phone-geo.server";
import { subdivisionName } from "./subdivision-name";

// The size of each BSON document parsed, to count how often the data files are read.
const deserialized = vi.hoisted(() => [] as number[]);
vi.mock("bson", async (importOriginal) => {
  const bson = await importOriginal<typeof import("bson")>();
  return { ...bson, deserialize: (bytes: Uint8Array) => (deserialized.push(bytes.length), bson.deserialize(bytes)) };
});

describe("phoneGeo", () => {
  // Each number is the first of its area code here (lookups are cached by area code), and each
  // is one the geocoding data names by its city: "Baltimore, MD", "Miami, FL", "Tulsa, OK".
  it.each([
    ["+14102341234", "Maryland", "America/New_York"],
    ["+13052341234", "Florida", "America/New_York"],
    ["+19182341234", "Oklahoma", "America/Chicago"],
    ["+12125550123", "New York", "America/New_York"],
  ])("names the state of %s (%s), whose 8pm or 9pm close then applies", async (phone, state, zone) => {
    const geo = await phoneGeo(phone);
    expect(geo).toEqual({ subdivision: state, timeZone: zone });
    expect(sendingWindow(geo.subdivision).endHour).toBe(state === "New York" ? 21 : 20);
  });

  it("names a Canadian province and no subdivision outside NANP", async () => {
    expect((await phoneGeo("+14165551234")).subdivision).toBe("Ontario");
    expect((await phoneGeo("+442071838750")).subdivision).toBeNull();
  });
});

describe("subdivisionName", () => {
  it("reads the postal abbreviation after a city, and keeps a state's or province's name", () => {
    expect(subdivisionName("Enid, OK")).toBe("Oklahoma");
    expect(subdivisionName("Toronto, ON")).toBe("Ontario");
    expect(subdivisionName("Maryland")).toBe("Maryland");
    expect(subdivisionName("Somewhere, ZZ")).toBe("Somewhere, ZZ");
    expect(subdivisionName(null)).toBeNull();
  });
});

describe("the numbering data", () => {
  it("is parsed once per process, however many prefixes are looked up, and before any when warmed", async () => {
    vi.resetModules();
    deserialized.length = 0;
    const fresh = await import("./phone-geo.server");
    await fresh.warmPhoneGeo();
    expect(deserialized).toEqual([expect.any(Number), expect.any(Number)]);
    for (const phone of ["+13025550123", "+15045550123", "+16025550123", "+17805550123", "+33612345678", "+442071838750"]) await fresh.phoneGeo(phone);
    // The zones and +1's places only: France and the UK have no subdivision rules, so their
    // places are never read.
    expect(deserialized).toHaveLength(2);
    expect(Math.max(...deserialized)).toBeGreaterThan(800_000); // +1's 830 KB of places
  });
});
