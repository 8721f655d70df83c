import type { PrismaClient } from "@prisma/client";
import type { SqlDriver } from "../db/sql-driver.server";
import { applyFlowDraft, draftFromSettings, validateFlowDraft, type FieldErrors, type FlowDraft } from "../flows/flow-draft";
import type { EditableFlow } from "../flows/catalog";
import { JourneySettingsSchema } from "../journey";
import { brandFor } from "../messaging/brand";
import { SendingSettingsSchema } from "../messaging/settings";
import { replanPendingMessages, type ReplanResult } from "./replan.server";
import { editShopSettings, readShopSettings } from "./shops.server";

export type SaveFlowResult = { ok: true; replan: ReplanResult } | { ok: false; errors: FieldErrors };

/** What the flow editor starts from: the draft, and the brand the preview names. */
export async function loadFlowDraft(prisma: PrismaClient, shop: string, flow: EditableFlow) {
  const row = await prisma.shop.findUnique({ where: { domain: shop }, select: { settings: true, name: true, currency: true } });
  const settings = readShopSettings(shop, row?.settings);
  return {
    // The preview prices its sample cart in the shop's currency.
    currency: row?.currency ?? "USD",
    draft: draftFromSettings(flow, settings.journey, settings.sending),
    brandName: brandFor({ domain: shop, name: row?.name }, settings.sending),
    segmentPrice: settings.sending.segmentPrice,
    npsAfterDays: settings.journey.postPurchase.npsQuestion.afterDays,
  };
}

/**
 * Validates and stores one flow's draft, then moves the shop's pending texts to the new plan
 * (see replanPendingMessages). Nothing is stored when any field is wrong.
 */
export async function saveFlowDraft(
  deps: { prisma: PrismaClient; sql: SqlDriver; now: Date },
  shop: string,
  flow: EditableFlow,
  draft: FlowDraft,
): Promise<SaveFlowResult> {
  const { brandName } = await loadFlowDraft(deps.prisma, shop, flow);
  const errors = validateFlowDraft(flow, draft, brandName);
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  // Read, check and merge under the shop row's lock, so a settings save or another flow's
  // draft can't be lost in between (issue #12, item 4).
  const stored = await editShopSettings(deps.sql, shop, (current) => {
    const next = applyFlowDraft(current, flow, draft);
    // Belt and braces: what we store must read back as valid settings, or the sender would
    // turn every flow off.
    const journey = JourneySettingsSchema.safeParse(next.journey ?? {});
    const sending = SendingSettingsSchema.safeParse(next.sending ?? {});
    if (!journey.success || !sending.success) {
      const issues = [...(journey.error?.issues ?? []), ...(sending.error?.issues ?? [])];
      return { merge: null, result: { form: issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") } };
    }
    // Only the keys a flow draft owns, never the Twilio keys.
    return { merge: { journey: next.journey, sending: next.sending }, result: null };
  });
  if (stored === undefined) return { ok: false, errors: { form: "The shop is not installed" } };
  if (stored) return { ok: false, errors: stored };
  return { ok: true, replan: await replanPendingMessages(deps.sql, shop, deps.now) };
}
