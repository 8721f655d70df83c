/**
 * The instant it is `hour`:00 on `at`'s calendar day in `zone` (a DST-aware wall time). The
 * demo starts its simulated day at 8am in the shoppers' zone.
 */
export function wallTime(at: Date, hour: number, zone: string): Date {
  const day = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
  const asUtc = Date.parse(`${day}T${String(hour).padStart(2, "0")}:00:00Z`);
  // The zone's offset then (twice, so a guess on the far side of a DST change corrects itself).
  let instant = asUtc - offsetMinutes(new Date(asUtc), zone) * 60_000;
  instant = asUtc - offsetMinutes(new Date(instant), zone) * 60_000;
  return new Date(instant);
}

function offsetMinutes(at: Date, zone: string): number {
  const name = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" }).formatToParts(at).find((p) => p.type === "timeZoneName")!.value;
  const match = name.match(/GMT([+-])(\d{2}):(\d{2})/);
  if (!match) return 0; // "GMT": UTC itself
  return (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}
