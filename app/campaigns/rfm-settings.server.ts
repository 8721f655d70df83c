import type { SqlDriver } from "../db/sql-driver.server";
import { editShopSettings } from "../services/shops.server";
import { RfmThresholdsSchema, type RfmThresholds } from "./rfm";
import { fieldErrorsFrom } from "../lib/form-errors";

export type SaveRfmResult = { ok: true; rfm: RfmThresholds } | { ok: false; errors: Record<string, string> };

/**
 * Stores the merchant's RFM thresholds in shop.settings.campaigns.rfm, under the shop row's
 * lock (editShopSettings), keeping any other campaign settings. Nothing is stored when a
 * threshold is out of range or the bands overlap.
 */
export async function saveRfmThresholds(sql: SqlDriver, shop: string, raw: unknown): Promise<SaveRfmResult> {
  const parsed = RfmThresholdsSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: fieldErrorsFrom(parsed.error) };
  const rfm = parsed.data;
  await editShopSettings(sql, shop, (stored) => {
    const campaigns = typeof stored.campaigns === "object" && stored.campaigns !== null ? stored.campaigns : {};
    return { merge: { campaigns: { ...campaigns, rfm } }, result: undefined };
  });
  return { ok: true, rfm };
}
