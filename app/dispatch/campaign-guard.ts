import { brokenCap, legalCaps } from "../messaging/frequency-cap";
import { nextAllowedTime } from "../messaging/quiet-hours";
import { inHoldout } from "../offers/holdout";
import type { SendCheck, SendDecision } from "./guards";

/** What the guards need of a campaign text's campaign, read under its lock at send time. */
export interface CampaignFacts {
  id: string;
  status: string;
  smartSendingHours: number;
  controlPercent: number;
}

const HOUR = 3_600_000;
/** How long a text of a paused campaign waits before it is looked at again. */
export const PAUSED_RECHECK_MS = 10 * 60_000;

/**
 * The guards for a campaign text (issue #19), after consent was checked by decideSend: the
 * campaign still on, not late, quiet hours in the shopper's zone (it waits, never at night),
 * smart sending, the frequency caps (a campaign has no window to wait in: over a cap it is
 * skipped), and the campaign's control group last, so only a text that would otherwise go out
 * now is held out (as the flows' holdout, docs/decisions/005 and 021). Pure.
 */
export function decideCampaignSend(check: SendCheck, campaign: CampaignFacts | null | undefined): SendDecision {
  const { message, shopper, now } = check;
  if (!campaign || campaign.status === "cancelled") return { action: "skip", reason: "campaign_cancelled" };
  if (campaign.status === "paused") return { action: "defer", until: new Date(now.getTime() + PAUSED_RECHECK_MS), reason: "campaign_paused" };
  if (now.getTime() > message.dueAt.getTime() + check.journey.maxLateHours * HOUR) return { action: "skip", reason: "too_late" };

  const opens = nextAllowedTime(now, shopper.timeZone, shopper.window);
  if (opens) return { action: "defer", until: opens, reason: "quiet_hours" };

  const sends = check.recentSends.map((s) => s.at);
  const since = now.getTime() - campaign.smartSendingHours * HOUR;
  if (campaign.smartSendingHours > 0 && sends.some((at) => at.getTime() > since)) return { action: "skip", reason: "smart_sending" };
  if (brokenCap(sends, now, check.caps) || brokenCap(sends, now, legalCaps(shopper.subdivision ?? null))) return { action: "skip", reason: "frequency_cap" };

  if (inHoldout(shopper.id, holdoutKey(campaign.id), campaign.controlPercent)) return { action: "skip", reason: "holdout" };
  return { action: "send" };
}

/** The hash key of a campaign's control group: independent of every flow's and other campaigns'. */
export function holdoutKey(campaignId: string): string {
  return `campaign:${campaignId}`;
}
