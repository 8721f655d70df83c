import type { SqlDriver, SqlTx } from "../db/sql-driver.server";
import { CUSTOMER_VALUE_EDGES, customerOrders, customerOrdersFromRows, RECENCY_EDGES, type CustomerOrders, type CustomerOrdersRow } from "../services/dashboard-series.server";

/**
 * Each customer's orders placed before the start of the shop's today, stored per shop
 * (dashboard_customer, migration 0015), so a period ending today reads one narrow row per
 * customer plus today's few orders instead of grouping every order of the shop's history
 * (docs/decisions/010-dashboard-queries.md, amendment of 7 Dec 2026, second part).
 */

/** A customer's value and recency buckets, as customerOrders computes them ($1 spent, $2 last order, over $4/$5 edges and $3 the period's end). */
const valueBucket = (spent: string) => `width_bucket(${spent}, $4::numeric[])`;
const recencyBucket = (last: string) => `width_bucket(EXTRACT(EPOCH FROM ($3::timestamptz - ${last})) / 86400, $5::numeric[])`;

/**
 * Whether the shop's totals must be recomputed for `todayStart` ($2) and a period ending at
 * `periodEnd` ($3, today's end): never computed, computed for another day, zone or bucket edges
 * ($4/$5), or an order placed before today was written since (migration 0015 marks the UTC hour
 * of each written order's placed_at, old and new, in dashboard_dirty_order_hour). A SQL
 * expression over $1 the shop and those, for refreshRollups' state query.
 */
export const CUSTOMER_TOTALS_DUE = `(
  NOT EXISTS (SELECT 1 FROM dashboard_customers_as_of WHERE shop = $1 AND placed_before = $2::timestamptz AND period_end = $3::timestamptz
                AND value_edges = $4::numeric[] AND recency_edges = $5::numeric[])
  OR EXISTS (SELECT 1 FROM dashboard_dirty_order_hour WHERE shop = $1 AND hour < ($2::timestamptz AT TIME ZONE 'UTC')))`;

/** $2..$5 of CUSTOMER_TOTALS_DUE and storeCustomerTotals, after $1 the shop. */
export function customerTotalsParams(todayStart: Date, periodEnd: Date): unknown[] {
  return [todayStart, periodEnd, CUSTOMER_VALUE_EDGES, RECENCY_EDGES];
}

/**
 * Recomputes every customer's totals of orders placed before today's start, and their counts by
 * bucket as of today's end, inside refreshRollups' transaction and per-shop lock. The marks go
 * first, as refreshRollups takes its hour marks: a write committing after this snapshot either
 * is counted or marks its hour again.
 */
export async function storeCustomerTotals(tx: SqlTx, shop: string, todayStart: Date, periodEnd: Date): Promise<void> {
  const params = [shop, ...customerTotalsParams(todayStart, periodEnd)];
  await tx.query(`DELETE FROM dashboard_dirty_order_hour WHERE shop = $1 AND hour < ($2::timestamptz AT TIME ZONE 'UTC')`, [shop, todayStart]);
  await tx.query(`DELETE FROM dashboard_customer WHERE shop = $1`, [shop]);
  await tx.query(`DELETE FROM dashboard_customer_bucket WHERE shop = $1`, [shop]);
  await tx.query(
    `INSERT INTO dashboard_customer (shop, shopper_id, orders, spent, last_placed_at)
     SELECT $1, shopper_id, count(*), sum(total_price), max(placed_at)
     FROM "order" WHERE shop = $1 AND placed_at < $2 AND shopper_id IS NOT NULL
     GROUP BY shopper_id`,
    [shop, todayStart],
  );
  await tx.query(
    `INSERT INTO dashboard_customer_bucket (shop, value, recency, customers, spent)
     SELECT $1, ${valueBucket("spent")}, ${recencyBucket("last_placed_at")}, count(*), sum(spent)
     FROM dashboard_customer WHERE shop = $1 AND $2::timestamptz IS NOT NULL
     GROUP BY 2, 3`,
    params,
  );
  await tx.query(
    `INSERT INTO dashboard_customers_as_of (shop, placed_before, period_end, value_edges, recency_edges) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (shop) DO UPDATE SET placed_before = EXCLUDED.placed_before, period_end = EXCLUDED.period_end,
       value_edges = EXCLUDED.value_edges, recency_edges = EXCLUDED.recency_edges`,
    params,
  );
}

/**
 * customerOrders for a period that ends at today's end (`todayStart` inside it): the stored
 * customers' counts by bucket, with today's buyers moved from their stored buckets (if any) to
 * the ones their orders today put them in; every count and sum is exact, so each figure equals
 * customerOrders' (tests/integration/dashboard-customer-totals.test.ts). Orders per customer in
 * the period come from the period's orders alone (index order(shop, placed_at, shopper_id,
 * total_price)). Reads live if the stored totals are not for this today and period end
 * (refreshRollups wasn't called for them).
 */
export async function customerOrdersToday(sql: SqlDriver, w: { shop: string; from: Date; to: Date }, todayStart: Date): Promise<CustomerOrders> {
  const rows = await sql.query<Omit<CustomerOrdersRow, "kind"> & { kind: CustomerOrdersRow["kind"] | "stale" }>(
    `WITH today AS (
       SELECT shopper_id, sum(total_price) AS spent, max(placed_at) AS last_placed_at
       FROM "order" WHERE shop = $1 AND placed_at >= $6 AND placed_at < $3 AND shopper_id IS NOT NULL
       GROUP BY shopper_id
     ), buyers AS (
       SELECT s.spent AS stored_spent, s.last_placed_at AS stored_last,
              COALESCE(s.spent, 0) + t.spent AS spent, greatest(s.last_placed_at, t.last_placed_at) AS last_placed_at
       -- A probe of the primary key per buyer, whatever the statistics say: a plain join let the
       -- planner hash all 40k stored customers for 130 buyers when the table was not yet analyzed.
       FROM today t LEFT JOIN LATERAL (SELECT spent, last_placed_at FROM dashboard_customer s WHERE s.shop = $1 AND s.shopper_id = t.shopper_id) s ON true
     ), counts AS (
       SELECT value, recency, customers, spent FROM dashboard_customer_bucket WHERE shop = $1
       UNION ALL
       SELECT ${valueBucket("stored_spent")}, ${recencyBucket("stored_last")}, -1, -stored_spent FROM buyers WHERE stored_spent IS NOT NULL
       UNION ALL
       SELECT ${valueBucket("spent")}, ${recencyBucket("last_placed_at")}, 1, spent FROM buyers
     ), in_period AS (
       SELECT least(count(*), 4)::int AS orders
       FROM "order" WHERE shop = $1 AND placed_at >= $2 AND placed_at < $3 AND shopper_id IS NOT NULL
       GROUP BY shopper_id
     )
     SELECT 'stale' AS kind, 0 AS bucket, 0 AS customers, NULL AS revenue
     WHERE ${CUSTOMER_TOTALS_DUE.replaceAll("$2", "$6")}
     UNION ALL
     SELECT 'orders', orders, count(*)::int, NULL FROM in_period GROUP BY orders
     UNION ALL
     SELECT CASE GROUPING(value, recency) WHEN 1 THEN 'value' WHEN 2 THEN 'recency' ELSE 'lifetime' END,
            COALESCE(value, recency, 0), sum(customers)::int, sum(spent)::text
     FROM counts
     GROUP BY GROUPING SETS ((value), (recency), ())`,
    [w.shop, w.from, w.to, CUSTOMER_VALUE_EDGES, RECENCY_EDGES, todayStart],
  );
  if (rows.some((r) => r.kind === "stale")) return customerOrders(sql, w);
  return customerOrdersFromRows(rows as CustomerOrdersRow[]);
}
