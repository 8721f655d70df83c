import type { PrismaClient } from "@prisma/client";
import { beforeAll, describe, expect, it } from "vitest";
import { addDays, dayIn, startOfDay, type Day } from "~/dashboard/calendar-days";
import { customerOrdersToday } from "~/dashboard/customer-totals.server";
import { periodInstants, periodOf } from "~/dashboard/period";
import type { SqlDriver } from "~/db/sql-driver.server";
import { loadDashboard } from "~/services/dashboard.server";
import { customerOrders } from "~/services/dashboard-series.server";
import { engagementMetrics } from "~/services/engagement-metrics.server";
import { DASHBOARD_SHOP } from "../../scripts/bench/seed-history";
import { seedDashboardHistory } from "../support/dashboard-history";

// The dashboard reads NPS from per-day rollups and the customers' figures from totals stored as
// of today's start plus today's orders (docs/decisions/010, amendment of 7 Dec 2026, second
// part). Whatever is written, late or not, it must answer exactly as the live queries do, on the
// bench's seeded year (a small copy; the shop is in New York).
const NOW = new Date("2026-11-24T15:00:00Z");
const ZONE = "America/New_York";
const TODAY = dayIn(NOW, ZONE);
const DAY = 86_400_000;
let prisma: PrismaClient;
let sql: SqlDriver;

beforeAll(async () => {
  ({ prisma, sql } = await seedDashboardHistory(NOW));
}, 120_000);

const load = (from: Day, to: Day) => loadDashboard({ prisma, sql, twilioFromEnv: true, encryptionKey: null }, DASHBOARD_SHOP, { from, to }, NOW);

/** The period's NPS and customers' figures through the dashboard and from the raw rows. */
async function expectEqualLive(from: Day, to: Day) {
  const dashboard = await load(from, to);
  const range = periodInstants(periodOf(from, to), ZONE);
  const live = await engagementMetrics(sql, DASHBOARD_SHOP, range, 0.0079);
  expect(dashboard.metrics.nps).toEqual(live.nps);
  expect(dashboard.metrics.repeatPurchaseRate).toEqual(live.repeatPurchaseRate);
  expect(dashboard.metrics.customerLifetimeValue).toEqual(live.customerLifetimeValue);
  const customers = await customerOrders(sql, { shop: DASHBOARD_SHOP, ...range });
  expect(dashboard.series.ordersPerCustomer).toEqual(customers.ordersPerCustomer);
  expect(dashboard.series.customerValue).toEqual(customers.customerValue);
  expect(dashboard.series.recency).toEqual(customers.recency);
  return dashboard;
}

/** Stored NPS days that differ from the answers of that local day counted from the events. */
async function npsDaysUnlikeEvents() {
  return sql.query(
    `SELECT n.day, n.responses, n.promoters, n.detractors, raw.*
     FROM dashboard_nps_day n
     CROSS JOIN LATERAL (SELECT count(*)::int AS raw_responses,
                                count(*) FILTER (WHERE (e.data->>'score')::int >= 9)::int AS raw_promoters,
                                count(*) FILTER (WHERE (e.data->>'score')::int <= 6)::int AS raw_detractors
                         FROM journey_event e WHERE e.shop = n.shop AND e.type = 'nps'
                           AND e.occurred_at >= n.day::timestamp AT TIME ZONE $2 AND e.occurred_at < (n.day + 1)::timestamp AT TIME ZONE $2) raw
     WHERE n.shop = $1 AND (n.responses, n.promoters, n.detractors) IS DISTINCT FROM (raw.raw_responses, raw.raw_promoters, raw.raw_detractors)`,
    [DASHBOARD_SHOP, ZONE],
  );
}

const orderMarks = async () => (await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM dashboard_dirty_order_hour WHERE shop = $1`, [DASHBOARD_SHOP]))[0]!.n;

/** A customer with orders before today, and one of their orders. */
async function customerOrder(daysAgo: number) {
  const [row] = await sql.query<{ id: string; shopper_id: string }>(
    `SELECT id, shopper_id FROM "order" WHERE shop = $1 AND shopper_id IS NOT NULL AND placed_at < $2 ORDER BY placed_at DESC, id LIMIT 1`,
    [DASHBOARD_SHOP, new Date(NOW.getTime() - daysAgo * DAY)],
  );
  return row!;
}

describe("dashboard NPS and customer rollups", () => {
  it.each([7, 30, 365])("answer as the live queries over the last %i days", async (days) => {
    const dashboard = await expectEqualLive(addDays(TODAY, 1 - days), TODAY);
    expect(dashboard.metrics.nps.responses).toBeGreaterThan(0);
    expect(dashboard.series.customerValue.counts.reduce((a, b) => a + b, 0)).toBeGreaterThan(100);
    expect(await npsDaysUnlikeEvents()).toEqual([]);
    const [asOf] = await sql.query<{ placed_before: Date }>(`SELECT placed_before FROM dashboard_customers_as_of WHERE shop = $1`, [DASHBOARD_SHOP]);
    expect(asOf!.placed_before).toEqual(startOfDay(TODAY, ZONE));
  });

  it("NPS by day stays equal to the answers after an answer today and one late, a score changed and a customer's answers deleted", async () => {
    await expectEqualLive(addDays(TODAY, -364), TODAY);
    const [shopper] = await sql.query<{ id: string }>(`SELECT id FROM shopper WHERE shop = $1 ORDER BY id LIMIT 1`, [DASHBOARD_SHOP]);
    await sql.query(`INSERT INTO journey_event (shop, shopper_id, type, occurred_at, data) VALUES ($1, $2, 'nps', $3, '{"score": 10}'), ($1, $2, 'nps', $4, '{"score": 2}')`, [
      DASHBOARD_SHOP,
      shopper!.id,
      new Date(NOW.getTime() - 3_600_000),
      new Date(NOW.getTime() - 40 * DAY),
    ]);
    // A promoter of about 100 days ago becomes a detractor (a corrected reply).
    const [changed] = await sql.query<{ id: string }>(
      `UPDATE journey_event SET data = '{"score": 3}' WHERE id = (SELECT id FROM journey_event WHERE shop = $1 AND type = 'nps' AND (data->>'score')::int >= 9 AND occurred_at < $2 ORDER BY occurred_at DESC LIMIT 1) RETURNING id`,
      [DASHBOARD_SHOP, new Date(NOW.getTime() - 100 * DAY)],
    );
    expect(changed).toBeDefined();
    // customers/redact deletes a customer's events (app/webhooks/handle-shop-lifecycle.server.ts).
    const [gone] = await sql.query<{ shopper_id: string }>(`SELECT shopper_id FROM journey_event WHERE shop = $1 AND type = 'nps' AND occurred_at < $2 ORDER BY occurred_at DESC LIMIT 1`, [
      DASHBOARD_SHOP,
      new Date(NOW.getTime() - 200 * DAY),
    ]);
    await sql.query(`DELETE FROM journey_event WHERE shop = $1 AND shopper_id = $2`, [DASHBOARD_SHOP, gone!.shopper_id]);

    await expectEqualLive(addDays(TODAY, -364), TODAY);
    await expectEqualLive(addDays(TODAY, -29), TODAY);
    expect(await npsDaysUnlikeEvents()).toEqual([]);
  });

  it("customers' figures stay exact after orders today, a late order, a changed total, an order moved to another customer and one deleted", async () => {
    await expectEqualLive(addDays(TODAY, -29), TODAY);
    const returning = await customerOrder(10);
    const [newcomer] = await sql.query<{ id: string }>(`SELECT id FROM shopper s WHERE shop = $1 AND NOT EXISTS (SELECT 1 FROM "order" o WHERE o.shop = s.shop AND o.shopper_id = s.id) LIMIT 1`, [
      DASHBOARD_SHOP,
    ]);
    // Today: a returning customer's order (merged with their stored totals) and a first one.
    for (const [i, shopperId] of [returning.shopper_id, newcomer!.id].entries()) {
      await prisma.order.create({
        data: { shop: DASHBOARD_SHOP, shopifyOrderId: `today-${i}`, shopperId, totalPrice: "480.00", currency: "USD", placedAt: new Date(NOW.getTime() - (i + 1) * 600_000) },
      });
    }
    await expectEqualLive(addDays(TODAY, -29), TODAY);
    await expectEqualLive(addDays(TODAY, -364), TODAY);

    // Before today: an imported order of 50 days ago, a total edited, an order given to another customer, one deleted.
    await prisma.order.create({
      data: { shop: DASHBOARD_SHOP, shopifyOrderId: "late-import", shopperId: newcomer!.id, totalPrice: "999.00", currency: "USD", placedAt: new Date(NOW.getTime() - 50 * DAY), source: "import" },
    });
    await sql.query(`UPDATE "order" SET total_price = total_price + 700 WHERE id = $1`, [(await customerOrder(20)).id]);
    await sql.query(`UPDATE "order" SET shopper_id = $2 WHERE id = $1`, [(await customerOrder(120)).id, newcomer!.id]);
    await sql.query(`DELETE FROM attribution WHERE order_id = $1`, [(await customerOrder(200)).id]);
    await sql.query(`DELETE FROM "order" WHERE id = $1`, [(await customerOrder(200)).id]);
    expect(await orderMarks()).toBeGreaterThan(3);

    await expectEqualLive(addDays(TODAY, -29), TODAY);
    await expectEqualLive(addDays(TODAY, -364), TODAY);
    await expectEqualLive(TODAY, TODAY);
    await expectEqualLive(addDays(TODAY, -29), addDays(TODAY, -1)); // ends before today: every order, live
    // The marks before today are taken; today's stay (today's orders are read live).
    const [left] = await sql.query<{ before: number; today: number }>(
      `SELECT count(*) FILTER (WHERE hour < $2::timestamptz AT TIME ZONE 'UTC')::int AS before, count(*) FILTER (WHERE hour >= $2::timestamptz AT TIME ZONE 'UTC')::int AS today
       FROM dashboard_dirty_order_hour WHERE shop = $1`,
      [DASHBOARD_SHOP, startOfDay(TODAY, ZONE)],
    );
    expect(left).toEqual({ before: 0, today: 2 });
  });

  it("reads every order when the stored customers' totals are for another day", async () => {
    await load(addDays(TODAY, -29), TODAY);
    await sql.query(`UPDATE dashboard_customers_as_of SET placed_before = placed_before - interval '1 day' WHERE shop = $1`, [DASHBOARD_SHOP]);
    await sql.query(`DELETE FROM dashboard_customer WHERE shop = $1`, [DASHBOARD_SHOP]);
    const range = periodInstants(periodOf(addDays(TODAY, -29), TODAY), ZONE);
    expect(await customerOrdersToday(sql, { shop: DASHBOARD_SHOP, ...range }, startOfDay(TODAY, ZONE))).toEqual(await customerOrders(sql, { shop: DASHBOARD_SHOP, ...range }));
    await expectEqualLive(addDays(TODAY, -29), TODAY); // and the next dashboard recomputes them
  });
});
