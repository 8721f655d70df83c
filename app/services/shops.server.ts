import type { PrismaClient } from "@prisma/client";
import { readJourneySettings, type JourneySettings } from "../journey";
import { log } from "../lib/log.server";

export interface ShopSettings {
  journey: JourneySettings;
}

export function readShopSettings(shop: string, stored: unknown): ShopSettings {
  const journey = typeof stored === "object" && stored !== null && "journey" in stored ? stored.journey : undefined;
  const { settings, problems } = readJourneySettings(journey);
  if (problems.length > 0) log.error("stored journey settings are invalid; all flows are off until they are fixed", { shop, problems });
  return { journey: settings };
}

/** Records (or renews) an installation. Called after Shopify auth and by the demo seed. */
export async function recordInstall(
  prisma: PrismaClient,
  domain: string,
  details: { name?: string | null; timezone?: string | null; currency?: string | null } = {},
): Promise<void> {
  const data = {
    name: details.name ?? undefined,
    timezone: details.timezone ?? undefined,
    currency: details.currency ?? undefined,
  };
  await prisma.shop.upsert({
    where: { domain },
    create: { domain, ...data },
    update: { ...data, uninstalledAt: null },
  });
}
