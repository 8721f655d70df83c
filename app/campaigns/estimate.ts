import type { Reach } from "./reach.server";

export interface CampaignEstimate {
  /** Texts expected to go out: the sendable, less smart sending's skips and the control group. */
  texts: number;
  /** Expected size of the control group (held out by hash, so about controlPercent of the rest). */
  control: number;
  segments: number;
  cost: number;
}

/**
 * What a campaign will cost before it is sent. An estimate: quiet hours only delay texts, but
 * opt-outs and frequency caps between now and the send can still drop a few. Pure.
 */
export function estimateCampaign(reach: Pick<Reach, "sendable" | "recentlyTexted">, controlPercent: number, segmentsPerText: number, segmentPrice: number): CampaignEstimate {
  const eligible = Math.max(0, reach.sendable - reach.recentlyTexted);
  const control = Math.round((eligible * controlPercent) / 100);
  const texts = eligible - control;
  const segments = texts * segmentsPerText;
  return { texts, control, segments, cost: Math.round(segments * segmentPrice * 100) / 100 };
}
