import { flowVariants } from "../messaging/settings";
import type { PrismaClient } from "@prisma/client";
import { phoneGeo } from "../adapters/phone-geo.server";
import type { JourneySettings } from "../journey/types";
import { normalizePhone } from "../lib/phone";
import { brandFor } from "../messaging/brand";
import { composeMessage } from "../messaging/compose";
import { SAMPLE } from "../messaging/preview";
import { wallTimeOnDay } from "../lib/zoned-time";
import { sendingWindow } from "../messaging/quiet-hours";
import { variantFor } from "../offers/ab-test";
import type { Scenario } from "../simulator/scenarios";
import { simulateJourney, type SimulationResult } from "../simulator/simulate";
import { readShopSettings } from "./shops.server";

export type SimulatorRun =
  { ok: true; result: SimulationResult; shopperZone: string; shopZone: string; region: string | null; window: { startHour: number; endHour: number } } | { ok: false; errors: Record<string, string> };

/**
 * Runs a scenario for a shop with its saved settings: the shopper's zone and state come
 * from the phone number (as for real sends), the texts are composed with the shop's
 * templates and a sample cart, and the control group is either forced on or off.
 */
export async function runSimulator(prisma: PrismaClient, shop: string, scenario: Scenario, now: Date): Promise<SimulatorRun> {
  const phone = normalizePhone(scenario.phone, null, { strict: true });
  if (!phone) return { ok: false, errors: { phone: "Enter a valid number with its country code, like +1 305 555 0142" } };
  const row = await prisma.shop.findUnique({ where: { domain: shop }, select: { settings: true, name: true, timezone: true, currency: true } });
  const settings = readShopSettings(shop, row?.settings);
  const shopZone = row?.timezone ?? "UTC";
  const geo = await phoneGeo(phone.e164);
  const shopperZone = geo.timeZone ?? shopZone;
  const window = sendingWindow(geo.subdivision, settings.sending.window, phone.region);
  const [hour, minute] = scenario.startTime.split(":").map(Number) as [number, number];
  const shopperId = `simulator:${phone.e164}`;
  const brand = brandFor({ domain: shop, name: row?.name }, settings.sending);

  const result = simulateJourney({
    shopperId,
    phoneRegion: phone.region,
    timeZone: shopperZone,
    window,
    caps: settings.sending.caps,
    journey: withControlGroup(settings.journey, scenario.inControlGroup),
    start: tomorrowAt(now, shopperZone, hour * 60 + minute),
    steps: scenario.steps,
    compose: (message) => {
      if (message.flow === "confirm_optin") return "";
      const variants = flowVariants(settings.sending, message.flow);
      const overrides = variants ? { ...settings.sending.templates, [message.flow]: variants[variantFor(shopperId, message.flow, variants.length)] } : settings.sending.templates;
      return composeMessage({
        flow: message.flow,
        overrides,
        brandName: brand,
        shopName: row?.name || brand,
        firstName: SAMPLE.firstName,
        productTitle: SAMPLE.productTitle,
        cart: message.flow === "cart_recovery" || message.flow === "cart_abandonment" ? { ...SAMPLE.cart, currency: row?.currency ?? SAMPLE.cart.currency } : null,
        link: SAMPLE.link,
        discount: message.discountPercent ? { ...SAMPLE.discount, percent: message.discountPercent } : null,
        firstMessageToNumber: message.index === 1,
        optOutInEveryMarketingText: settings.sending.optOutInEveryMarketingText,
      }).body;
    },
  });
  return { ok: true, result, shopperZone, shopZone, region: phone.region, window };
}

/** Everyone in (100%) or out (0%) of every control group, through the real holdout check. */
function withControlGroup(journey: JourneySettings, inGroup: boolean): JourneySettings {
  const percent = inGroup ? 100 : 0;
  const holdoutPercent = Object.fromEntries(Object.keys(journey.holdoutPercent).map((flow) => [flow, percent])) as JourneySettings["holdoutPercent"];
  return { ...journey, holdoutPercent };
}

/** The instant it is `minutes` past midnight, local time in `zone`, on the day after `now`. */
export function tomorrowAt(now: Date, zone: string, minutes: number): number {
  return wallTimeOnDay(now, zone, 1, minutes).getTime();
}
