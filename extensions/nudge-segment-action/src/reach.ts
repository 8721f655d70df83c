/** What the app's /app/campaigns/reach answers for a segment (app/campaigns/reach.server.ts). */
export interface SegmentReach {
  sendable: number;
  optedOut: number;
  noConsent: number;
  noPhone: number;
  unknown?: number;
}

/** The composer, inside the app, with this segment chosen (app/routes/app.campaigns.new.tsx reads ?segment=). */
export function composerHref(segmentId: string): string {
  return `app:app/campaigns/new?segment=${encodeURIComponent(segmentId)}`;
}

/** Where the extension reads the segment's reach: the app's own route, authenticated by Shopify's ID token. */
export function reachUrl(segmentId: string): string {
  return `/app/campaigns/reach?${new URLSearchParams({ audience: `segment:${segmentId}`, smart: "0" })}`;
}

export function reachLines(reach: SegmentReach): string[] {
  const left = reach.optedOut + reach.noConsent + reach.noPhone + (reach.unknown ?? 0);
  const why = [`${reach.optedOut} opted out`, `${reach.noConsent + (reach.unknown ?? 0)} without SMS consent recorded by Nudge`];
  if (reach.noPhone) why.push(`${reach.noPhone} without a phone`);
  return [`${reach.sendable.toLocaleString("en-US")} customers in this segment can get a text.`, ...(left > 0 ? [`Left out: ${why.join(", ")}.`] : [])];
}
