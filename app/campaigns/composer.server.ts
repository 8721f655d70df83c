import type { AdminApiClient } from "../adapters/shopify-admin.server";
import type { SqlDriver } from "../db/sql-driver.server";
import { log } from "../lib/log.server";
import { brandFor } from "../messaging/brand";
import { readShopSettings } from "../services/shops.server";
import { CampaignDraftSchema, localSendWindow, validateCampaignDraft, type CampaignErrors } from "./campaign-draft";
import { scheduleCampaign, sendCampaignNow } from "./campaigns.server";
import { segmentMembersOf } from "./segment-audience.server";
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

export type SubmitResult = { ok: true; id: string } | { ok: false; errors: CampaignErrors; status: 400 | 422 | 503 };

/**
 * "Send now" (saved and fanned out in one transaction) or "Schedule" (saved, fanned out by the
 * worker at its time): the posted draft checked as the composer checks it first. A draft that
 * doesn't parse or validate stores nothing and enqueues nothing. A Shopify segment's members
 * are read (through the merchant's `admin` client) before the transaction; when Shopify can't
 * answer, nothing is stored and the merchant is asked to try again (503).
 */
export async function submitCampaign(sql: SqlDriver, shop: string, raw: unknown, intent: "send" | "schedule", now: Date, admin: AdminApiClient): Promise<SubmitResult> {
  const parsed = CampaignDraftSchema.safeParse(raw);
  if (!parsed.success) {
    log.warn("campaign draft refused", { shop, problems: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) });
    const name = parsed.error.issues.find((i) => i.path[0] === "name");
    return name ? { ok: false, errors: { name: name.message }, status: 422 } : { ok: false, errors: { form: "The campaign could not be read. Reload the page and try again." }, status: 400 };
  }
  const { brandName } = await loadComposer(sql, shop);
  const errors = validateCampaignDraft(parsed.data, brandName);
  const sendAt = parsed.data.sendAt ? new Date(parsed.data.sendAt) : null;
  const local = parsed.data.localSendAt ? localSendWindow(parsed.data.localSendAt) : null;
  // A local-time campaign must still be ahead somewhere: its last zone's wall clock hasn't passed.
  const future = local ? local.last.getTime() > now.getTime() : sendAt !== null && sendAt.getTime() > now.getTime();
  if (intent === "schedule" && !future) errors.sendAt = "Choose a time in the future";
  if (Object.keys(errors).length > 0) return { ok: false, errors, status: 422 };
  if (intent === "schedule") {
    const id = await scheduleCampaign(sql, shop, parsed.data, local?.first ?? sendAt!);
    log.info("campaign scheduled", { shop, campaignId: id, sendAt });
    return { ok: true, id };
  }
  const audience = parsed.data.audience;
  const members = audience.kind === "segment" ? await segmentMembersOf(sql, admin, shop, audience.id) : null;
  if (members && !members.ok) return { ok: false, errors: { audience: members.message }, status: 503 };
  const sent = await sendCampaignNow(sql, shop, { ...parsed.data, localSendAt: null }, now, members?.value);
  log.info("campaign sent", { shop, campaignId: sent.id, recipients: sent.fanOut.recipients });
  return { ok: true, id: sent.id };
}
