import { createHash } from "node:crypto";

/**
 * Whether a shopper is in a flow's control group. Deterministic (a hash of shopper and flow),
 * so a shopper stays in the same group for that flow however often we ask, and independent
 * across flows.
 */
export function inHoldout(shopperId: string, flow: string, percent: number): boolean {
  if (percent <= 0) return false;
  const bucket = createHash("sha256").update(`${shopperId}:${flow}`).digest().readUInt32BE(0) % 10_000;
  return bucket < percent * 100;
}
