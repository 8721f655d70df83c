import type { SqlDriver, SqlTx } from "../db/sql-driver.server";
import { knownTimeZone } from "../lib/zoned-time";
import { addDays, dayIn, startOfDay, type Day } from "./calendar-days";
import { DEFAULT_PRESET_DAYS } from "./period";
import { CUSTOMER_TOTALS_DUE, customerTotalsParams, storeCustomerTotals } from "./customer-totals.server";
import { LIFT_WINDOW_PARAMS, liftDayRows, npsDayRows, revenueDayRows, textDayRows, type DayScope } from "./day-aggregates.server";
import { dayWindows, daysFrom, daysOfHours, hourTouches, todayHours, type TodayHours } from "./rollup-days";

/** What a refresh computed: closed days, and closed hours of today. */
export interface RefreshedRollups {
  days: number;
  hours: number;
}

/**
 * Brings the shop's rollups for the period `first`..`last` up to date (docs/decisions/010,
 * amendments of 6 and 7 Dec 2026): computes the closed days never stored (or stored in another
 * zone) and, when the period reaches today, today's closed hours never stored; recomputes every
 * stored day or hour a write has marked since (migration 0013's triggers mark UTC hours); and
 * the customers' totals of orders before today (customer-totals.server.ts, migration 0015).
 * Today as a whole and the hour under way are never stored. One round trip when nothing is
 * due, the usual case.
 */
export async function refreshRollups(sql: SqlDriver, shop: string, timeZone: string, first: Day, last: Day, now: Date): Promise<RefreshedRollups> {
  const today = dayIn(now, timeZone);
  const todayStart = startOfDay(today, timeZone);
  const todayEnd = startOfDay(addDays(today, 1), timeZone);
  const customers = [shop, ...customerTotalsParams(todayStart, todayEnd)];
  const wanted = daysFrom(first, last < today ? last : today).filter((d) => d < today);
  const hours: TodayHours = last >= today ? todayHours(todayStart, now) : { starts: [], ends: [], liveFrom: todayStart };
  const [state] = await sql.query<{ stored: number; stored_hours: number; all_hours: number; marked: boolean; customers: boolean }>(
    `SELECT (SELECT count(*)::int FROM dashboard_day WHERE shop = $1 AND time_zone = $6 AND day >= $7::date AND day <= $8::date) AS stored,
            (SELECT count(*)::int FROM dashboard_hour h JOIN unnest($9::timestamptz[], $10::timestamptz[]) w(starts, ends)
               ON h.starts = w.starts AND h.ends = w.ends WHERE h.shop = $1) AS stored_hours,
            (SELECT count(*)::int FROM dashboard_hour WHERE shop = $1) AS all_hours,
            EXISTS (SELECT 1 FROM dashboard_dirty_hour WHERE shop = $1 AND hour < ($11::timestamptz AT TIME ZONE 'UTC')) AS marked,
            ${CUSTOMER_TOTALS_DUE} AS customers`,
    [...customers, timeZone, first, last, hours.starts, hours.ends, hours.liveFrom],
  );
  const hoursStored = state && state.stored_hours === hours.starts.length && (hours.starts.length === 0 || state.all_hours === hours.starts.length);
  if (state && state.stored === wanted.length && hoursStored && !state.marked && !state.customers) return { days: 0, hours: 0 };
  return sql.transaction(async (tx) => {
    // One refresh of a shop at a time: two dashboards opened together wait, then find it done.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('nudge dashboard rollups ' || $1))`, [shop]);
    // Take the marks first, then compute: a write that commits after this statement's snapshot
    // either is seen by the computation below or, waiting on the deleted mark until this
    // transaction commits, marks its hour again (INSERT … ON CONFLICT waits for a concurrent
    // delete of the conflicting row: https://www.postgresql.org/docs/current/sql-insert.html).
    // The hour under way keeps its marks: it is read live, and stored once it has closed.
    const marked = (
      await tx.query<{ hour: string }>(
        `DELETE FROM dashboard_dirty_hour WHERE shop = $1 AND hour < ($2::timestamptz AT TIME ZONE 'UTC')
         RETURNING to_char(hour, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS hour`,
        [shop, hours.liveFrom],
      )
    ).map((m) => new Date(m.hour));
    const stored = new Set((await tx.query<{ day: string }>(`SELECT to_char(day, 'YYYY-MM-DD') AS day FROM dashboard_day WHERE shop = $1 AND time_zone = $2`, [shop, timeZone])).map((r) => r.day));
    const stale = [...daysOfHours(marked, timeZone)].filter((d) => stored.has(d) && d < today);
    const days = [...new Set([...wanted.filter((d) => !stored.has(d)), ...stale])].sort();
    if (days.length > 0) await storeDays(tx, shop, timeZone, days);
    const hoursComputed = await storeTodayHours(tx, shop, today, hours, marked);
    // Checked again under the lock: a refresh that held it may have just computed them.
    const [due] = await tx.query<{ customers: boolean }>(`SELECT ${CUSTOMER_TOTALS_DUE} AS customers`, customers);
    if (due?.customers) await storeCustomerTotals(tx, shop, todayStart, todayEnd);
    return { days: days.length, hours: hoursComputed };
  });
}

/** Up to this many days are recomputed one by one with index probes (a late write's day or two). */
const FEW_DAYS = 3;

/** The rollup tables of closed days, or of today's closed hours, and the column keying them. */
interface RollupTables {
  key: "day" | "starts";
  keyType: "date" | "timestamptz";
  text: string;
  lift: string;
  revenue: string;
  nps: string;
}

const DAY_TABLES: RollupTables = { key: "day", keyType: "date", text: "dashboard_text_day", lift: "dashboard_lift_day", revenue: "dashboard_revenue_day", nps: "dashboard_nps_day" };
const HOUR_TABLES: RollupTables = { key: "starts", keyType: "timestamptz", text: "dashboard_text_hour", lift: "dashboard_lift_hour", revenue: "dashboard_revenue_hour", nps: "dashboard_nps_hour" };

/** Deletes the tables' rows of the shop whose key is (or, with `except`, is not) in `keys`. */
async function deleteRows(tx: SqlTx, t: RollupTables, shop: string, keys: unknown[], except = false): Promise<void> {
  for (const table of [t.text, t.lift, t.revenue, t.nps]) {
    await tx.query(`DELETE FROM ${table} WHERE shop = $1 AND ${except ? "NOT " : ""}${t.key} = ANY($2::${t.keyType}[])`, [shop, keys]);
  }
}

/** Stores day-aggregates.server.ts' rows for the windows (its parameters after $1, the shop). */
async function insertRows(tx: SqlTx, t: RollupTables, scope: DayScope, windows: unknown[]): Promise<void> {
  await tx.query(
    `INSERT INTO ${t.text} (shop, ${t.key}, flow, stage, texts, sent, delivered, clicked, converted, recovered, segments)
     SELECT $1, ${t.key}, flow, stage, texts, sent, delivered, clicked, converted, recovered, segments FROM (${textDayRows(scope)}) r`,
    windows,
  );
  await tx.query(
    `INSERT INTO ${t.lift} (shop, ${t.key}, flow, treated, treated_converted, control, control_converted, treated_revenue)
     SELECT $1, ${t.key}, flow, treated, treated_converted, control, control_converted, treated_revenue FROM (${liftDayRows(scope)}) r`,
    [...windows, ...LIFT_WINDOW_PARAMS],
  );
  await tx.query(`INSERT INTO ${t.revenue} (shop, ${t.key}, recovered, other) SELECT $1, ${t.key}, recovered, other FROM (${revenueDayRows(scope)}) r`, windows);
  await tx.query(`INSERT INTO ${t.nps} (shop, ${t.key}, responses, promoters, detractors) SELECT $1, ${t.key}, responses, promoters, detractors FROM (${npsDayRows(scope)}) r`, windows);
}

async function storeDays(tx: SqlTx, shop: string, timeZone: string, days: Day[]): Promise<void> {
  const w = dayWindows(days, timeZone);
  await deleteRows(tx, DAY_TABLES, shop, w.days);
  await tx.query(`DELETE FROM dashboard_day WHERE shop = $1 AND day = ANY($2::date[])`, [shop, w.days]);
  if (days.length <= FEW_DAYS) {
    for (const [i, day] of w.days.entries()) await insertRows(tx, DAY_TABLES, "day", [shop, day, w.starts[i], w.ends[i]]);
  } else {
    await insertRows(tx, DAY_TABLES, "days", [shop, w.days, w.starts, w.ends]);
  }
  await tx.query(`INSERT INTO dashboard_day (shop, day, time_zone) SELECT $1, d, $3 FROM unnest($2::date[]) d`, [shop, w.days, timeZone]);
}

/**
 * Today's closed hours not stored, or stored and marked since, computed one by one with index
 * probes (an hour holds a day's 1/24th: the "day" scope's plan); every other stored hour (an
 * earlier day's, or one cut at another midnight) deleted. Returns the hours computed.
 */
async function storeTodayHours(tx: SqlTx, shop: string, today: Day, hours: TodayHours, marked: Date[]): Promise<number> {
  const stored = await tx.query<{ starts: number; ends: number }>(
    `SELECT (extract(epoch FROM starts) * 1000)::float8 AS starts, (extract(epoch FROM ends) * 1000)::float8 AS ends FROM dashboard_hour WHERE shop = $1`,
    [shop],
  );
  const isStored = (i: number) => stored.some((s) => s.starts === hours.starts[i]!.getTime() && s.ends === hours.ends[i]!.getTime());
  const due = hours.starts.map((_, i) => i).filter((i) => !isStored(i) || marked.some((hour) => hourTouches(hour, hours.starts[i]!, hours.ends[i]!)));
  const kept = hours.starts.filter((_, i) => isStored(i) && !due.includes(i));
  if (due.length === 0 && stored.length === kept.length) return 0;
  await deleteRows(tx, HOUR_TABLES, shop, kept, true);
  await tx.query(`DELETE FROM dashboard_hour WHERE shop = $1 AND NOT starts = ANY($2::timestamptz[])`, [shop, kept]);
  for (const i of due) await insertRows(tx, HOUR_TABLES, "day", [shop, today, hours.starts[i], hours.ends[i]]);
  const [starts, ends] = [due.map((i) => hours.starts[i]), due.map((i) => hours.ends[i])];
  await tx.query(`INSERT INTO dashboard_hour (shop, starts, ends) SELECT $1, s, e FROM unnest($2::timestamptz[], $3::timestamptz[]) w(s, e)`, [shop, starts, ends]);
  return due.length;
}

/**
 * Housekeeping (the worker, hourly): every installed shop's rollups for its last `days` closed
 * days and today's closed hours, so the default 30-day dashboard finds them stored however long
 * it was left unopened (at most the last hour or two left to compute), and each day is computed
 * soon after it closes. Returns what was computed.
 */
export async function refreshInstalledShopsRollups(sql: SqlDriver, now: Date, days = DEFAULT_PRESET_DAYS): Promise<RefreshedRollups> {
  const shops = await sql.query<{ domain: string; timezone: string }>(`SELECT domain, timezone FROM shop WHERE uninstalled_at IS NULL ORDER BY domain`);
  const computed: RefreshedRollups = { days: 0, hours: 0 };
  for (const shop of shops) {
    const zone = knownTimeZone(shop.timezone);
    const today = dayIn(now, zone);
    const refreshed = await refreshRollups(sql, shop.domain, zone, addDays(today, -days), today, now);
    computed.days += refreshed.days;
    computed.hours += refreshed.hours;
  }
  return computed;
}
