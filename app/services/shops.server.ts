import type { PrismaClient } from "@prisma/client";
import { readJourneySettings, type JourneySettings } from "../journey";
import type { SqlDriver } from "../db/sql-driver.server";
import { log } from "../lib/log.server";
import { AttributionSettingsSchema, type AttributionSettings } from "../offers/attribution";
import { DEFAULT_SENDING_SETTINGS, SendingSettingsSchema, type SendingSettings } from "../messaging/settings";

export interface ShopSettings {
  journey: JourneySettings;
  sending: SendingSettings;
  attribution: AttributionSettings;
}

/**
 * A shop's settings as stored in shop.settings ({journey, sending}), defaults filled in.
 * Unreadable journey settings turn the flows off; unreadable sending settings fall back to
 * the defaults, which are the strictest (8am–9pm, 1 per 8 h, 3 per 24 h, opt-out line).
 */
export function readShopSettings(shop: string, stored: unknown): ShopSettings {
  const record = typeof stored === "object" && stored !== null ? (stored as Record<string, unknown>) : {};
  const { settings: journey, problems } = readJourneySettings(record.journey);
  if (problems.length > 0) log.error("stored journey settings are invalid; all flows are off until they are fixed", { shop, problems });
  const sending = SendingSettingsSchema.safeParse(record.sending ?? {});
  if (!sending.success) log.error("stored sending settings are invalid; using the defaults", { shop, problems: sending.error.issues.map((i) => i.message) });
  const attribution = AttributionSettingsSchema.safeParse(record.attribution ?? {});
  return {
    journey,
    sending: sending.success ? sending.data : DEFAULT_SENDING_SETTINGS,
    attribution: attribution.success ? attribution.data : AttributionSettingsSchema.parse({}),
  };
}

/** Records (or renews) an installation. Called after Shopify auth and by the demo seed. */
export async function recordInstall(prisma: PrismaClient, domain: string, details: { name?: string | null; timezone?: string | null; currency?: string | null } = {}): Promise<void> {
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

type StoredSettings = Record<string, unknown>;

/**
 * Read-modify-write of shop.settings with the shop row locked (`FOR UPDATE`) from the read to
 * the write, so two editors of the same keys (the settings form and a flow draft both edit
 * `journey` and `sending`) can't lose each other's changes (issue #17, item 4). `edit` returns
 * the top-level keys it owns, merged with `||` so keys it doesn't own (the Twilio account,
 * changed by single-statement jsonb_set elsewhere) stay as they are, or null to write nothing.
 * Returns `edit`'s result, or undefined when the shop doesn't exist.
 */
export async function editShopSettings<T>(sql: SqlDriver, shop: string, edit: (stored: StoredSettings) => { merge: StoredSettings | null; result: T }): Promise<T | undefined> {
  return sql.transaction(async (tx) => {
    const [row] = await tx.query<{ settings: unknown }>("SELECT settings FROM shop WHERE domain = $1 FOR UPDATE", [shop]);
    if (!row) return undefined;
    const stored = typeof row.settings === "object" && row.settings !== null ? (row.settings as StoredSettings) : {};
    const result = edit(stored);
    if (result.merge) {
      await tx.query("UPDATE shop SET settings = settings || $2::jsonb, updated_at = now() WHERE domain = $1", [shop, JSON.stringify(result.merge)]);
    }
    return result.result;
  });
}
