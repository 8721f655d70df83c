import type { PrismaClient } from "@prisma/client";
import type { SqlDriver } from "../db/sql-driver.server";
import type { EditableFlow } from "../flows/catalog";
import { draftFromSettings } from "../flows/flow-draft";
import { flowVariants } from "../messaging/settings";
import { flowVersion, saveFlowDraft, STALE_FLOW_MESSAGE, type SaveFlowResult } from "./flow-settings.server";
import { readShopSettings } from "./shops.server";
import { variantReport } from "./variant-report.server";

/** A test's leader is called the winner once it is this likely to be the best. */
const WINNER_CONFIDENCE = 0.95;
/** Without a known start (texts set before it was recorded), the scoreboard looks back this far. */
const DEFAULT_LOOKBACK_DAYS = 90;
const DAY = 86_400_000;

interface ScoreboardRow {
  variant: number;
  label: string;
  text: string;
  sent: number;
  clicked: number;
  converted: number;
  revenue: number;
  probabilityBest: number;
}

export interface Scoreboard {
  since: string;
  rows: ScoreboardRow[];
  /** The variant most likely to be best, once any text has been sent. */
  leader: number | null;
  /** Whether the leader is at least WINNER_CONFIDENCE likely to be best. */
  conclusive: boolean;
}

/**
 * A flow's running A/B test, one row per text (A, B, …), with what `variantReport` counts
 * since the current texts were saved. Null when the flow runs no test.
 */
export async function flowScoreboard(sql: SqlDriver, shop: string, flow: EditableFlow, now: Date): Promise<Scoreboard | null> {
  const [row] = await sql.query<{ settings: unknown }>("SELECT settings FROM shop WHERE domain = $1", [shop]);
  const { sending } = readShopSettings(shop, row?.settings);
  const texts = flowVariants(sending, flow);
  if (!texts) return null;
  const stamped = sending.variantsSince[flow];
  const from = stamped ? new Date(stamped) : new Date(now.getTime() - DEFAULT_LOOKBACK_DAYS * DAY);
  const report = await variantReport(sql, shop, flow, { from, to: new Date(now.getTime() + 1) });
  const rows = texts.map((text, variant) => {
    const r = report.find((x) => x.variant === variant);
    return { variant, label: "ABCD"[variant]!, text, sent: r?.sent ?? 0, clicked: r?.clicked ?? 0, converted: r?.converted ?? 0, revenue: r?.revenue ?? 0, probabilityBest: r?.probabilityBest ?? 0 };
  });
  const sent = rows.some((r) => r.sent > 0);
  const leader = sent ? rows.reduce((best, r) => (r.probabilityBest > best.probabilityBest ? r : best)).variant : null;
  return { since: from.toISOString(), rows, leader, conclusive: leader !== null && rows[leader]!.probabilityBest >= WINNER_CONFIDENCE };
}

/**
 * "Promote the winner": the chosen text becomes the flow's only text and the test ends. Saved
 * like any edit (saveFlowDraft: validated, under the shop row's lock, pending texts replanned),
 * and only if the flow is still as the merchant saw it (`version`): otherwise `stale`, nothing
 * stored, so a promotion can't undo an edit made in between or promote the wrong text.
 */
export async function promoteVariant(
  deps: { prisma: PrismaClient; sql: SqlDriver; now: Date },
  shop: string,
  flow: EditableFlow,
  choice: { variant: number; version: string },
): Promise<SaveFlowResult & { promoted?: string }> {
  const [row] = await deps.sql.query<{ settings: unknown }>("SELECT settings FROM shop WHERE domain = $1", [shop]);
  if (!row) return { ok: false, errors: { form: "The shop is not installed" } };
  const { journey, sending } = readShopSettings(shop, row.settings);
  const draft = draftFromSettings(flow, journey, sending);
  if (flowVersion(draft) !== choice.version) return { ok: false, stale: true, errors: { form: STALE_FLOW_MESSAGE } };
  const texts = [draft.template, ...draft.variants];
  const winner = texts[choice.variant];
  if (draft.variants.length === 0 || winner === undefined) return { ok: false, errors: { form: "This flow has no such A/B text to promote." } };
  const result = await saveFlowDraft(deps, shop, flow, { ...draft, template: winner, variants: [] }, { expectedVersion: choice.version });
  return result.ok ? { ...result, promoted: "ABCD"[choice.variant] } : result;
}
