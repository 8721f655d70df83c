import type { SqlDriver } from "../db/sql-driver.server";
import { log } from "../lib/log.server";
import { brandFor } from "../messaging/brand";
import { readShopSettings } from "../services/shops.server";
import { CampaignDraftSchema, validateCampaignDraft, type CampaignErrors } from "./campaign-draft";
import { scheduleCampaign, sendCampaignNow } from "./campaigns.server";
import { describeRfm, readRfmThresholds, RFM_SEGMENTS, type RfmSegment } from "./rfm";

/** What the composer starts from: the brand its preview names, the segment price, the RFM bands as the shop set them. */
export async function loadComposer(sql: SqlDriver, shop: string) {
  const [row] = await sql.query<{ name: string | null; settings: unknown }>("SELECT name, settings FROM shop WHERE domain = $1", [shop]);
  const settings = readShopSettings(shop, row?.settings);
  const stored = (row?.settings as { campaigns?: { rfm?: unknown } } | undefined)?.campaigns?.rfm;
  const rfm = readRfmThresholds(stored);
  return {
    brandName: brandFor({ domain: shop, name: row?.name }, settings.sending),
    segmentPrice: settings.sending.segmentPrice,
    rfmHelp: Object.fromEntries(RFM_SEGMENTS.map((s) => [s, describeRfm(s, rfm)])) as Record<RfmSegment, string>,
  };
}

export type SubmitResult = { ok: true; id: string } | { ok: false; errors: CampaignErrors };

/**
 * "Send now" (saved and fanned out in one transaction) or "Schedule" (saved, fanned out by the
 * worker at its time): the posted draft checked as the composer checks it first. A draft that
 * doesn't parse or validate stores nothing and enqueues nothing.
 */
export async function submitCampaign(sql: SqlDriver, shop: string, raw: unknown, intent: "send" | "schedule", now: Date): Promise<SubmitResult> {
  const parsed = CampaignDraftSchema.safeParse(raw);
  if (!parsed.success) {
    log.warn("campaign draft refused", { shop, problems: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) });
    const name = parsed.error.issues.find((i) => i.path[0] === "name");
    return { ok: false, errors: name ? { name: name.message } : { form: "The campaign could not be read. Reload the page and try again." } };
  }
  const { brandName } = await loadComposer(sql, shop);
  const errors = validateCampaignDraft(parsed.data, brandName);
  const sendAt = parsed.data.sendAt ? new Date(parsed.data.sendAt) : null;
  if (intent === "schedule" && (!sendAt || sendAt.getTime() <= now.getTime())) errors.sendAt = "Choose a time in the future";
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  if (intent === "schedule") {
    const id = await scheduleCampaign(sql, shop, parsed.data, sendAt!);
    log.info("campaign scheduled", { shop, campaignId: id, sendAt });
    return { ok: true, id };
  }
  const sent = await sendCampaignNow(sql, shop, parsed.data, now);
  log.info("campaign sent", { shop, campaignId: sent.id, recipients: sent.fanOut.recipients });
  return { ok: true, id: sent.id };
}
