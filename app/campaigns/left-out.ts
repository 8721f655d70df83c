/** Who an audience leaves out, and why, in the merchant's words (the composer's reach and a campaign's results). */
export function leftOutText(counts: { optedOut: number; noConsent: number; noPhone: number; unknown?: number }): string {
  const parts = [`${counts.optedOut} opted out`, `${counts.noConsent} without consent`];
  if (counts.noPhone) parts.push(`${counts.noPhone} without a phone`);
  // A segment's members Nudge never met: Shopify may list them as subscribed, but no consent was recorded here.
  if (counts.unknown) parts.push(`${counts.unknown} never subscribed through Nudge`);
  return parts.join(", ");
}
