import type { SqlDriver, SqlTx } from "../db/sql-driver.server";
import { knownTimeZone } from "../lib/zoned-time";
import { addDays, dayIn, startOfDay, type Day } from "./calendar-days";
import { DEFAULT_PRESET_DAYS } from "./period";
import { CUSTOMER_TOTALS_DUE, customerTotalsParams, storeCustomerTotals } from "./customer-totals.server";
import { LIFT_WINDOW_PARAMS, liftDayRows, npsDayRows, revenueDayRows, textDayRows, type DayScope } from "./day-aggregates.server";
import { dayWindows, daysFrom, daysOfHours } from "./rollup-days";

/**
 * Brings the shop's rollups for the closed days `first`..`last` up to date (docs/decisions/010,
 * amendment of 6 Dec 2026): computes the days never stored (or stored in another zone), and
 * recomputes every stored day a write has marked since (migration 0013's triggers mark UTC
 * hours), and the customers' totals of orders before today (customer-totals.server.ts, migration
 * 0015). `today` is the shop's today; it and later days are never stored. Returns how many
 * days were computed. One round trip when nothing is due, the usual case.
 */
export async function refreshRollups(sql: SqlDriver, shop: string, timeZone: string, first: Day, last: Day, today: Day): Promise<number> {
  const todayStart = startOfDay(today, timeZone);
  const todayEnd = startOfDay(addDays(today, 1), timeZone);
  const customers = [shop, ...customerTotalsParams(todayStart, todayEnd)];
  const wanted = daysFrom(first, last < today ? last : today).filter((d) => d < today);
  const [state] = await sql.query<{ stored: number; marked: boolean; customers: boolean }>(
    `SELECT (SELECT count(*)::int FROM dashboard_day WHERE shop = $1 AND time_zone = $6 AND day >= $7::date AND day <= $8::date) AS stored,
            EXISTS (SELECT 1 FROM dashboard_dirty_hour WHERE shop = $1 AND hour < ($2::timestamptz AT TIME ZONE 'UTC')) AS marked,
            ${CUSTOMER_TOTALS_DUE} AS customers`,
    [...customers, timeZone, first, last],
  );
  if (state && state.stored === wanted.length && !state.marked && !state.customers) return 0;
  return sql.transaction(async (tx) => {
    // One refresh of a shop at a time: two dashboards opened together wait, then find it done.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('nudge dashboard rollups ' || $1))`, [shop]);
    // Take the marks first, then compute: a write that commits after this statement's snapshot
    // either is seen by the computation below or, waiting on the deleted mark until this
    // transaction commits, marks its hour again (INSERT … ON CONFLICT waits for a concurrent
    // delete of the conflicting row: https://www.postgresql.org/docs/current/sql-insert.html).
    const marked = await tx.query<{ hour: string }>(
      `DELETE FROM dashboard_dirty_hour WHERE shop = $1 AND hour < ($2::timestamptz AT TIME ZONE 'UTC')
       RETURNING to_char(hour, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS hour`,
      [shop, todayStart],
    );
    const stored = new Set((await tx.query<{ day: string }>(`SELECT to_char(day, 'YYYY-MM-DD') AS day FROM dashboard_day WHERE shop = $1 AND time_zone = $2`, [shop, timeZone])).map((r) => r.day));
    const stale = [
      ...daysOfHours(
        marked.map((m) => new Date(m.hour)),
        timeZone,
      ),
    ].filter((d) => stored.has(d) && d < today);
    const days = [...new Set([...wanted.filter((d) => !stored.has(d)), ...stale])].sort();
    if (days.length > 0) await storeDays(tx, shop, timeZone, days);
    // Checked again under the lock: a refresh that held it may have just computed them.
    const [due] = await tx.query<{ customers: boolean }>(`SELECT ${CUSTOMER_TOTALS_DUE} AS customers`, customers);
    if (due?.customers) await storeCustomerTotals(tx, shop, todayStart, todayEnd);
    return days.length;
  });
}

/** Up to this many days are recomputed one by one with index probes (a late write's day or two). */
const FEW_DAYS = 3;

async function storeDays(tx: SqlTx, shop: string, timeZone: string, days: Day[]): Promise<void> {
  const w = dayWindows(days, timeZone);
  for (const table of ["dashboard_text_day", "dashboard_lift_day", "dashboard_revenue_day", "dashboard_nps_day", "dashboard_day"]) {
    await tx.query(`DELETE FROM ${table} WHERE shop = $1 AND day = ANY($2::date[])`, [shop, w.days]);
  }
  const batches: { scope: DayScope; windows: unknown[] }[] =
    days.length <= FEW_DAYS ? w.days.map((day, i) => ({ scope: "day", windows: [shop, day, w.starts[i], w.ends[i]] })) : [{ scope: "days", windows: [shop, w.days, w.starts, w.ends] }];
  for (const { scope, windows } of batches) {
    await tx.query(
      `INSERT INTO dashboard_text_day (shop, day, flow, stage, texts, sent, delivered, clicked, converted, recovered, segments)
       SELECT $1, day, flow, stage, texts, sent, delivered, clicked, converted, recovered, segments FROM (${textDayRows(scope)}) r`,
      windows,
    );
    await tx.query(
      `INSERT INTO dashboard_lift_day (shop, day, flow, treated, treated_converted, control, control_converted, treated_revenue)
       SELECT $1, day, flow, treated, treated_converted, control, control_converted, treated_revenue FROM (${liftDayRows(scope)}) r`,
      [...windows, ...LIFT_WINDOW_PARAMS],
    );
    await tx.query(`INSERT INTO dashboard_revenue_day (shop, day, recovered, other) SELECT $1, day, recovered, other FROM (${revenueDayRows(scope)}) r`, windows);
    await tx.query(`INSERT INTO dashboard_nps_day (shop, day, responses, promoters, detractors) SELECT $1, day, responses, promoters, detractors FROM (${npsDayRows(scope)}) r`, windows);
  }
  await tx.query(`INSERT INTO dashboard_day (shop, day, time_zone) SELECT $1, d, $3 FROM unnest($2::date[]) d`, [shop, w.days, timeZone]);
}

/**
 * Housekeeping (the worker, hourly): every installed shop's rollups for its last `days` closed
 * days, so the default 30-day dashboard finds its closed days stored however long it was left
 * unopened, and each day is computed soon after it closes. Returns the days computed.
 */
export async function refreshInstalledShopsRollups(sql: SqlDriver, now: Date, days = DEFAULT_PRESET_DAYS): Promise<number> {
  const shops = await sql.query<{ domain: string; timezone: string }>(`SELECT domain, timezone FROM shop WHERE uninstalled_at IS NULL ORDER BY domain`);
  let computed = 0;
  for (const shop of shops) {
    const zone = knownTimeZone(shop.timezone);
    const today = dayIn(now, zone);
    computed += await refreshRollups(sql, shop.domain, zone, addDays(today, -days), addDays(today, -1), today);
  }
  return computed;
}
