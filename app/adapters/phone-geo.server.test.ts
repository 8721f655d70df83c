import { describe, expect, it } from "vitest";
import { sendingWindow } from "../messaging/quiet-hours";
import { phoneGeo } from "./phone-geo.server";
import { subdivisionName } from "./subdivision-name";

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
