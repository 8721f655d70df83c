/** One flow's measured effect and what its texts cost, for the ROI. */
export interface FlowReturn {
  flow: string;
  /** Revenue the control group shows the texts added; null when the flow has no measured lift. */
  incrementalRevenue: number | null;
  /** SMS segments the flow's texts used in the period. */
  segments: number;
}

export interface HonestRoi {
  /** The flows the figure covers: those with a measured lift. */
  flows: string[];
  incrementalRevenue: number;
  cost: number;
  /** Incremental revenue per unit of cost; null when no flow has a measured lift or it cost nothing. */
  roi: number | null;
}

/**
 * ROI on an honest basis (docs/decisions/005): incremental revenue, from each flow's control
 * group, over the cost of the texts of those same flows. A flow with no measured lift adds
 * neither revenue nor cost, so a cheap unmeasured flow can't flatter the ratio and an expensive
 * one can't sink it. Pure.
 */
export function honestRoi(returns: readonly FlowReturn[], segmentPrice: number): HonestRoi {
  const measured = returns.filter((r): r is FlowReturn & { incrementalRevenue: number } => r.incrementalRevenue !== null);
  const revenue = measured.reduce((sum, r) => sum + r.incrementalRevenue, 0);
  const segments = measured.reduce((sum, r) => sum + r.segments, 0);
  const cost = Math.round(segments * segmentPrice * 10_000) / 10_000;
  return {
    flows: measured.map((r) => r.flow),
    incrementalRevenue: Math.round(revenue * 100) / 100,
    cost,
    roi: measured.length > 0 && cost > 0 ? revenue / cost : null,
  };
}
