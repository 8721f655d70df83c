import { createHash } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import type { SqlDriver } from "../db/sql-driver.server";
import { applyFlowDraft, draftFromSettings, validateFlowDraft, type FieldErrors, type FlowDraft } from "../flows/flow-draft";
import type { EditableFlow } from "../flows/catalog";
import { JourneySettingsSchema } from "../journey";
import { brandFor } from "../messaging/brand";
import { SendingSettingsSchema } from "../messaging/settings";
import { replanPendingMessages, type ReplanResult } from "./replan.server";
import { editShopSettings, readShopSettings } from "./shops.server";

export type SaveFlowResult =
  | { ok: true; replan: ReplanResult }
  /** `stale`: the flow changed since the editor loaded it (another tab, another admin); nothing stored. */
  | { ok: false; errors: FieldErrors; stale?: true };

export const STALE_FLOW_MESSAGE = "This flow was changed elsewhere since you opened it, so nothing was saved. Reload the page to see the current settings.";

/** What the flow editor starts from: the draft, its version, and the brand the preview names. */
export async function loadFlowDraft(prisma: PrismaClient, shop: string, flow: EditableFlow) {
  const row = await prisma.shop.findUnique({ where: { domain: shop }, select: { settings: true, name: true, currency: true } });
  const settings = readShopSettings(shop, row?.settings);
  const draft = draftFromSettings(flow, settings.journey, settings.sending);
  return {
    // The preview prices its sample cart in the shop's currency.
    currency: row?.currency ?? "USD",
    draft,
    version: flowVersion(draft),
    brandName: brandFor({ domain: shop, name: row?.name }, settings.sending),
    segmentPrice: settings.sending.segmentPrice,
    npsAfterDays: settings.journey.postPurchase.npsQuestion.afterDays,
  };
}

/**
 * A fingerprint of a flow as stored: the editor sends back the one it loaded, and a save whose
 * fingerprint no longer matches is refused (409) instead of overwriting a newer change.
 */
export function flowVersion(draft: FlowDraft): string {
  return createHash("sha256").update(JSON.stringify(draft)).digest("base64url").slice(0, 22);
}

/**
 * Validates and stores one flow's draft, then moves the shop's pending texts to the new plan
 * (see replanPendingMessages). Nothing is stored when any field is wrong, or when
 * `expectedVersion` is given and the stored flow no longer has it.
 */
export async function saveFlowDraft(
  deps: { prisma: PrismaClient; sql: SqlDriver; now: Date },
  shop: string,
  flow: EditableFlow,
  draft: FlowDraft,
  options: { expectedVersion?: string } = {},
): Promise<SaveFlowResult> {
  const { brandName } = await loadFlowDraft(deps.prisma, shop, flow);
  const errors = validateFlowDraft(flow, draft, brandName);
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  // Read, check and merge under the shop row's lock, so a settings save or another flow's
  // draft can't be lost in between (issue #17, item 4).
  const stored = await editShopSettings<SaveFlowResult | null>(deps.sql, shop, (current) => {
    if (options.expectedVersion !== undefined) {
      const settings = readShopSettings(shop, current);
      if (flowVersion(draftFromSettings(flow, settings.journey, settings.sending)) !== options.expectedVersion) {
        return { merge: null, result: { ok: false, stale: true, errors: { form: STALE_FLOW_MESSAGE } } };
      }
    }
    const next = applyFlowDraft(current, flow, draft);
    stampVariantsSince(current, next, flow, deps.now);
    // Belt and braces: what we store must read back as valid settings, or the sender would
    // turn every flow off.
    const journey = JourneySettingsSchema.safeParse(next.journey ?? {});
    const sending = SendingSettingsSchema.safeParse(next.sending ?? {});
    if (!journey.success || !sending.success) {
      const issues = [...(journey.error?.issues ?? []), ...(sending.error?.issues ?? [])];
      return { merge: null, result: { ok: false, errors: { form: issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") } } };
    }
    // Only the keys a flow draft owns, never the Twilio keys.
    return { merge: { journey: next.journey, sending: next.sending }, result: null };
  });
  if (stored === undefined) return { ok: false, errors: { form: "The shop is not installed" } };
  if (stored) return stored;
  return { ok: true, replan: await replanPendingMessages(deps.sql, shop, deps.now) };
}

/**
 * A new set of A/B texts starts a new test: its scoreboard counts sends from now, so results
 * of texts that were edited or removed don't land on the variant that took their place.
 */
function stampVariantsSince(before: Record<string, unknown>, after: Record<string, unknown>, flow: EditableFlow, now: Date) {
  const variantsOf = (settings: Record<string, unknown>) => (settings.sending as { variants?: Record<string, string[]> } | undefined)?.variants?.[flow];
  const sending = after.sending as Record<string, unknown>;
  const since = { ...(sending.variantsSince as Record<string, string> | undefined) };
  const next = variantsOf(after);
  if (!next) delete since[flow];
  else if (JSON.stringify(next) !== JSON.stringify(variantsOf(before))) since[flow] = now.toISOString();
  sending.variantsSince = since;
}
