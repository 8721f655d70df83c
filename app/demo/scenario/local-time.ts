import { wallTimeOnDay } from "../../lib/zoned-time";

/**
 * The instant it is `hour`:00 on `at`'s calendar day in `zone` (a DST-aware wall time). The
 * demo starts its simulated day at 8am in the shoppers' zone.
 */
export function wallTime(at: Date, hour: number, zone: string): Date {
  return wallTimeOnDay(at, zone, 0, hour * 60);
}
