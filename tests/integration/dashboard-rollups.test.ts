import type { PrismaClient } from "@prisma/client";
import { beforeAll, describe, expect, it } from "vitest";
import { addDays, dayIn, startOfDay, type Day } from "~/dashboard/calendar-days";
import { periodInstants, periodOf } from "~/dashboard/period";
import { liftsByFlow } from "~/dashboard/read-rollups.server";
import { refreshInstalledShopsRollups, refreshRollups } from "~/dashboard/refresh-rollups.server";
import { liveFromOf, splitPeriod } from "~/dashboard/rollup-days";
import type { SqlDriver } from "~/db/sql-driver.server";
import { loadDashboard } from "~/services/dashboard.server";
import { activityOverTime } from "~/services/dashboard-series.server";
import { liveTextsByFlowAndStage } from "~/services/engagement-metrics.server";
import { recordDeliveryStatus } from "~/services/delivery-status.server";
import { CONVERSION_DAYS, flowLifts } from "~/services/holdout-lift.server";
import { followLink } from "~/services/link-clicks.server";
import { DASHBOARD_SHOP } from "../../scripts/bench/seed-history";
import { seedDashboardHistory } from "../support/dashboard-history";

// The dashboard reads texts by flow, the lift and the activity chart from per-day rollups for
// closed days plus today's rows live (docs/decisions/010, amendment of 6 Dec 2026). Whatever
// is written, late or not, it must answer exactly as the live queries do, on the bench's
// seeded year (a small copy; the shop is in New York, so the year has both DST changes).
const NOW = new Date("2026-11-24T15:00:00Z");
const ZONE = "America/New_York";
const TODAY = dayIn(NOW, ZONE);
let prisma: PrismaClient;
let sql: SqlDriver;

beforeAll(async () => {
  ({ prisma, sql } = await seedDashboardHistory(NOW));
}, 120_000);

const load = (from: Day, to: Day) => loadDashboard({ prisma, sql, twilioFromEnv: true, encryptionKey: null }, DASHBOARD_SHOP, { from, to }, NOW);

/** The period's figures from the rollups (through the dashboard) and from the raw rows. */
async function expectRollupsEqualLive(from: Day, to: Day, zone = ZONE) {
  const dashboard = await load(from, to);
  const period = periodOf(from, to);
  const range = periodInstants(period, zone);
  expect(dashboard.timeZone).toBe(zone);
  expect(dashboard.metrics.byFlowAndStage).toEqual(await liveTextsByFlowAndStage(sql, DASHBOARD_SHOP, range));
  const lifts = await flowLifts(sql, DASHBOARD_SHOP, range);
  expect(Object.fromEntries(dashboard.liftByFlow.map((f) => [f.flow, f.lift]))).toEqual(Object.fromEntries(dashboard.liftByFlow.map((f) => [f.flow, lifts[f.flow]])));
  expect(dashboard.series.activity).toEqual(await activityOverTime(sql, { shop: DASHBOARD_SHOP, ...range, firstDay: from, lastDay: to, timeZone: zone, bucket: period.bucket }));
  return dashboard;
}

const storedDays = async () => (await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM dashboard_day WHERE shop = $1`, [DASHBOARD_SHOP]))[0]!.n;
const storedHours = async () =>
  (await sql.query<{ starts: string }>(`SELECT to_char(starts AT TIME ZONE 'UTC', 'HH24:MI') AS starts FROM dashboard_hour WHERE shop = $1 ORDER BY starts`, [DASHBOARD_SHOP])).map((r) => r.starts);
const marks = async () => (await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM dashboard_dirty_hour WHERE shop = $1`, [DASHBOARD_SHOP]))[0]!.n;

/** A sent text of a past day, with its local day. */
async function sentText(daysAgo: number, extra = "") {
  const [text] = await sql.query<{ id: string; shopper_id: string; sent_at: Date; provider_sid: string; flow: string }>(
    `SELECT id, shopper_id, sent_at, provider_sid, flow FROM scheduled_message
     WHERE shop = $1 AND status = 'sent' AND sent_at < $2 ${extra} ORDER BY sent_at DESC, id LIMIT 1`,
    [DASHBOARD_SHOP, new Date(NOW.getTime() - daysAgo * 86_400_000)],
  );
  return text!;
}

describe("dashboard rollups", () => {
  it("are computed by housekeeping for every installed shop's last 30 closed days", async () => {
    // Today in New York began at 05:00 UTC: ten hours had closed by 15:00 UTC.
    expect(await refreshInstalledShopsRollups(sql, NOW)).toEqual({ days: 30, hours: 10 });
    const [stored] = await sql.query<{ n: number; first: string; last: string }>(
      `SELECT count(*)::int AS n, to_char(min(day), 'YYYY-MM-DD') AS first, to_char(max(day), 'YYYY-MM-DD') AS last FROM dashboard_day WHERE shop = $1`,
      [DASHBOARD_SHOP],
    );
    expect(stored).toEqual({ n: 30, first: addDays(TODAY, -30), last: addDays(TODAY, -1) });
    expect(await refreshInstalledShopsRollups(sql, NOW)).toEqual({ days: 0, hours: 0 });
    expect(await storedHours()).toEqual(Array.from({ length: 10 }, (_, i) => `${String(5 + i).padStart(2, "0")}:00`));
  });

  it.each([7, 30, 90, 365])("answer as the live queries over the last %i days, stored for closed days only", async (days) => {
    const dashboard = await expectRollupsEqualLive(addDays(TODAY, 1 - days), TODAY);
    expect(dashboard.metrics.byFlowAndStage.length).toBeGreaterThan(3);
    expect(dashboard.liftByFlow.some((f) => f.lift.control.shoppers > 0)).toBe(true);
    const [latest] = await sql.query<{ day: string }>(`SELECT to_char(max(day), 'YYYY-MM-DD') AS day FROM dashboard_day WHERE shop = $1`, [DASHBOARD_SHOP]);
    expect(latest!.day).toBe(addDays(TODAY, -1));
  });

  it("answer as the live queries for periods across both DST changes and ending before today", async () => {
    await expectRollupsEqualLive("2026-10-28", "2026-11-04"); // New York leaves daylight time on 1 Nov (a 25-hour day)
    await expectRollupsEqualLive("2026-03-05", "2026-03-11"); // and enters it on 8 Mar (23 hours)
    await expectRollupsEqualLive("2025-12-01", "2026-11-23"); // weekly buckets
  });

  it("answer as the live queries for today's first texts converted today: none, one or two orders in the window, a completed checkout", async () => {
    // Today's part is read live with a probe per text (app/dashboard/day-aggregates.server.ts).
    const shoppers = await sql.query<{ id: string }>(`SELECT id FROM shopper WHERE shop = $1 ORDER BY id LIMIT 3`, [DASHBOARD_SHOP]);
    const dueAt = new Date(NOW.getTime() - 5 * 3_600_000);
    for (const [i, { id }] of shoppers.entries()) {
      await sql.query(
        `INSERT INTO scheduled_message (shop, shopper_id, dedupe_key, flow, step, due_at, status, sent_at, body, updated_at)
         VALUES ($1, $2, $3, 'win_back', 1, $4, 'sent', $4, 'We miss you', now())`,
        [DASHBOARD_SHOP, id, `today-win-back-${i}`, dueAt],
      );
      for (let n = 0; n < i; n++) {
        await prisma.order.create({
          data: { shop: DASHBOARD_SHOP, shopifyOrderId: `today-${i}-${n}`, shopperId: id, totalPrice: "40.00", currency: "USD", placedAt: new Date(dueAt.getTime() + (n + 1) * 600_000) },
        });
      }
    }
    const [cart] = await sql.query<{ token: string }>(
      `UPDATE checkout SET completed_at = $3 WHERE shop = $1 AND token = (
         SELECT m.checkout_token FROM scheduled_message m JOIN checkout c ON c.shop = m.shop AND c.token = m.checkout_token
         WHERE m.shop = $1 AND m.flow = 'cart_recovery' AND m.step = 1 AND m.status = 'sent' AND m.due_at >= $2 AND c.completed_at IS NULL ORDER BY m.due_at LIMIT 1)
       RETURNING token`,
      [DASHBOARD_SHOP, periodInstants(periodOf(TODAY, TODAY), ZONE).from, NOW],
    );
    expect(cart).toBeDefined();
    await expectRollupsEqualLive(TODAY, TODAY);
    // Every flow's lift, shown on the dashboard or not (win-back has no holdout by default).
    const live = await flowLifts(sql, DASHBOARD_SHOP, periodInstants(periodOf(TODAY, TODAY), ZONE));
    const liveFrom = liveFromOf(startOfDay(TODAY, ZONE), NOW);
    expect(await liftsByFlow({ sql, shop: DASHBOARD_SHOP, timeZone: ZONE, split: splitPeriod(TODAY, TODAY, TODAY), liveFrom })).toEqual(live);
    expect(live.win_back.treated.converted).toBeGreaterThanOrEqual(2);
    expect(live.cart_recovery.treated.converted).toBeGreaterThan(0);
  });

  it("stay exact after late writes to old days: a credit for a text sent months ago, a delivery callback, a click, a stage change", async () => {
    await expectRollupsEqualLive(addDays(TODAY, -364), TODAY);
    expect(await storedDays()).toBeGreaterThanOrEqual(364);

    // An order today credited to a cart text sent four months ago.
    const old = await sentText(120, "AND flow = 'cart_recovery'");
    const order = await prisma.order.create({
      data: { shop: DASHBOARD_SHOP, shopifyOrderId: "late-credit", shopperId: old.shopper_id, totalPrice: "88.10", currency: "USD", placedAt: new Date(NOW.getTime() - 3_600_000) },
    });
    await prisma.attribution.create({
      data: {
        shop: DASHBOARD_SHOP,
        orderId: order.id,
        messageId: old.id,
        shopperId: old.shopper_id,
        flow: old.flow,
        rule: "click",
        touchedAt: old.sent_at,
        recovered: true,
        revenue: "88.10",
        currency: "USD",
      },
    });
    // A status callback moving a text of 40 days ago from sent to delivered.
    const undelivered = await sentText(40, "AND delivery_status = 'undelivered'");
    await sql.query(`UPDATE scheduled_message SET delivery_status = 'sent' WHERE id = $1`, [undelivered.id]);
    expect(await recordDeliveryStatus(sql, { messageSid: undelivered.provider_sid, status: "delivered", errorCode: null, at: NOW })).toBe(true);
    // A first click on a link of a text of 200 days ago.
    const [link] = await sql.query<{ id: string }>(
      `SELECT l.id FROM short_link l JOIN scheduled_message m ON m.id = l.message_id WHERE l.shop = $1 AND l.clicks = 0 AND m.sent_at < $2 ORDER BY m.sent_at DESC LIMIT 1`,
      [DASHBOARD_SHOP, new Date(NOW.getTime() - 200 * 86_400_000)],
    );
    expect(await followLink(sql, link!.id, { at: NOW, counted: true })).toBeTruthy();
    // A shopper with texts on many past days reaching another stage.
    const moved = await sentText(300);
    await sql.query(`UPDATE shopper SET stage = CASE WHEN stage = 'loyalty' THEN 'awareness' ELSE 'loyalty' END WHERE id = $1`, [moved.shopper_id]);
    // A checkout completing, which converts its first cart text for the lift.
    const [cart] = await sql.query<{ token: string }>(
      `SELECT m.checkout_token AS token FROM scheduled_message m JOIN checkout c ON c.shop = m.shop AND c.token = m.checkout_token
       WHERE m.shop = $1 AND m.flow = 'cart_recovery' AND m.step = 1 AND m.status IN ('sent', 'skipped') AND c.completed_at IS NULL AND m.due_at < $2
       ORDER BY m.due_at DESC LIMIT 1`,
      [DASHBOARD_SHOP, new Date(NOW.getTime() - 10 * 86_400_000)],
    );
    await sql.query(
      `UPDATE checkout SET completed_at = (SELECT due_at + interval '1 hour' FROM scheduled_message WHERE shop = $1 AND checkout_token = $2 AND step = 1 LIMIT 1) WHERE shop = $1 AND token = $2`,
      [DASHBOARD_SHOP, cart!.token],
    );
    expect(await marks()).toBeGreaterThan(4);

    await expectRollupsEqualLive(addDays(TODAY, -364), TODAY);
    // The marks of closed days are taken; today's stay until today closes.
    const [left] = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM dashboard_dirty_hour WHERE shop = $1 AND hour < $2::timestamptz AT TIME ZONE 'UTC'`, [
      DASHBOARD_SHOP,
      new Date(NOW.getTime() - 15 * 3_600_000),
    ]);
    expect(left!.n).toBe(0);
  });

  it("stay exact when texts and credits of a past day are deleted (customers/redact)", async () => {
    const gone = await sentText(60);
    await sql.query(`DELETE FROM attribution WHERE shop = $1 AND shopper_id = $2`, [DASHBOARD_SHOP, gone.shopper_id]);
    await sql.query(`DELETE FROM scheduled_message WHERE shop = $1 AND shopper_id = $2`, [DASHBOARD_SHOP, gone.shopper_id]);
    await expectRollupsEqualLive(addDays(TODAY, -364), TODAY);
  });

  it("recompute every day in the new zone when the shop's time zone changes", async () => {
    await prisma.shop.update({ where: { domain: DASHBOARD_SHOP }, data: { timezone: "Asia/Kolkata" } });
    try {
      const today = dayIn(NOW, "Asia/Kolkata");
      await expectRollupsEqualLive(addDays(today, -29), today, "Asia/Kolkata");
    } finally {
      await prisma.shop.update({ where: { domain: DASHBOARD_SHOP }, data: { timezone: ZONE } });
    }
    await expectRollupsEqualLive(addDays(TODAY, -29), TODAY);
  });

  it("are marked by an order for every first text it can convert (the order trigger looks 30 days back)", () => {
    expect(Math.max(...Object.values(CONVERSION_DAYS))).toBeLessThanOrEqual(30);
  });

  it("recompute only the day a single late write touched, one day at a time", async () => {
    await load(addDays(TODAY, -364), TODAY);
    const text = await sentText(50, "AND delivery_status = 'delivered'");
    await sql.query(`UPDATE scheduled_message SET delivery_status = 'undelivered' WHERE id = $1`, [text.id]);
    expect(await refreshRollups(sql, DASHBOARD_SHOP, ZONE, addDays(TODAY, -364), TODAY, NOW)).toEqual({ days: 1, hours: 0 });
    await expectRollupsEqualLive(addDays(TODAY, -364), TODAY);
  });

  it("compute nothing when nothing was written since", async () => {
    await load(addDays(TODAY, -364), TODAY);
    expect(await refreshRollups(sql, DASHBOARD_SHOP, ZONE, addDays(TODAY, -364), TODAY, NOW)).toEqual({ days: 0, hours: 0 });
  });

  it("recompute only the hour of today a late write touched, and leave the hour under way live", async () => {
    await load(addDays(TODAY, -29), TODAY);
    // A delivery callback for a text sent three hours ago (a closed hour, stored).
    const [text] = await sql.query<{ id: string }>(`SELECT id FROM scheduled_message WHERE shop = $1 AND status = 'sent' AND sent_at >= $2 AND sent_at < $3 ORDER BY sent_at LIMIT 1`, [
      DASHBOARD_SHOP,
      new Date(NOW.getTime() - 3 * 3_600_000),
      new Date(NOW.getTime() - 2 * 3_600_000),
    ]);
    await sql.query(`UPDATE scheduled_message SET delivery_status = CASE WHEN delivery_status = 'delivered' THEN 'undelivered' ELSE 'delivered' END WHERE id = $1`, [text!.id]);
    // A text sent in the hour under way: read live, its hour neither stored nor its mark taken.
    const [shopper] = await sql.query<{ id: string }>(`SELECT id FROM shopper WHERE shop = $1 ORDER BY id LIMIT 1`, [DASHBOARD_SHOP]);
    const later = new Date(NOW.getTime() + 20 * 60_000);
    await sql.query(
      `INSERT INTO scheduled_message (shop, shopper_id, dedupe_key, flow, step, due_at, status, sent_at, body, updated_at)
       VALUES ($1, $2, 'hour-under-way', 'cart_recovery', 2, $3, 'sent', $3, 'Still thinking it over?', now())`,
      [DASHBOARD_SHOP, shopper!.id, later],
    );
    const inAnHour = new Date(NOW.getTime() + 30 * 60_000);
    expect(await refreshRollups(sql, DASHBOARD_SHOP, ZONE, addDays(TODAY, -29), TODAY, inAnHour)).toEqual({ days: 0, hours: 1 });
    expect(await storedHours()).toHaveLength(10);
    expect(await marks()).toBe(1);
    const dashboard = await loadDashboard({ prisma, sql, twilioFromEnv: true, encryptionKey: null }, DASHBOARD_SHOP, { from: TODAY, to: TODAY }, inAnHour);
    const range = periodInstants(periodOf(TODAY, TODAY), ZONE);
    expect(dashboard.metrics.byFlowAndStage).toEqual(await liveTextsByFlowAndStage(sql, DASHBOARD_SHOP, range));
    expect(dashboard.series.activity).toEqual(await activityOverTime(sql, { shop: DASHBOARD_SHOP, ...range, firstDay: TODAY, lastDay: TODAY, timeZone: ZONE, bucket: "day" }));
    await sql.query(`DELETE FROM scheduled_message WHERE shop = $1 AND dedupe_key = 'hour-under-way'`, [DASHBOARD_SHOP]);
  });

  it("store the next day's hours and drop the last day's once it has closed", async () => {
    const tomorrowAtSeven = new Date(NOW.getTime() + 21 * 3_600_000); // 07:00 in New York
    expect(await refreshRollups(sql, DASHBOARD_SHOP, ZONE, addDays(TODAY, -29), addDays(TODAY, 1), tomorrowAtSeven)).toEqual({ days: 1, hours: 7 });
    expect(await storedHours()).toEqual(["05:00", "06:00", "07:00", "08:00", "09:00", "10:00", "11:00"]);
    const [rows] = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM dashboard_text_hour WHERE shop = $1 AND starts < $2`, [DASHBOARD_SHOP, startOfDay(addDays(TODAY, 1), ZONE)]);
    expect(rows!.n).toBe(0);
  });
});
