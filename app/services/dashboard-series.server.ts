import type { SqlDriver } from "../db/sql-driver.server";
import type { Day } from "../dashboard/calendar-days";

/**
 * The dashboard's chart series. Each is one SQL aggregate scoped by shop and period (GROUP BY
 * day or week in the shop's zone, width_bucket histograms); nothing loops over rows in JS.
 */
export interface SeriesWindow {
  shop: string;
  /** The instants the period starts (inclusive) and ends (exclusive). */
  from: Date;
  to: Date;
  /** The same period as calendar days in `timeZone`, both included. */
  firstDay: Day;
  lastDay: Day;
  timeZone: string;
  bucket: "day" | "week";
}

export interface ActivityPoint {
  /** First day of the bucket (for weeks, the Monday, which may fall before the period). */
  start: Day;
  texts: number;
  recoveredRevenue: number;
  /** Revenue credited to texts of other flows (win-back, replenishment, ...). */
  otherRevenue: number;
}

interface Histogram {
  /** Bucket i holds values in [edges[i-1], edges[i]); the first starts at 0, the last is open. */
  edges: number[];
  counts: number[];
}

/**
 * Texts sent and revenue credited to texts, per day or week, every bucket present (zero when
 * quiet). Texts count by sent_at (index scheduled_message(shop, sent_at)); revenue by when the
 * order was placed, so a text sent late in one period can earn in the next.
 */
export async function activityOverTime(sql: SqlDriver, w: SeriesWindow): Promise<ActivityPoint[]> {
  const rows = await sql.query<{ start: string; texts: number; recovered: string; other: string }>(
    `WITH buckets AS (
       SELECT b::date AS bucket
       FROM generate_series(date_trunc($4, $5::date::timestamp), $6::date::timestamp, ('1 ' || $4)::interval) b
     ), texts AS (
       SELECT date_trunc($4, m.sent_at AT TIME ZONE $7)::date AS bucket, count(*)::int AS n
       FROM scheduled_message m
       WHERE m.shop = $1 AND m.sent_at >= $2 AND m.sent_at < $3 AND m.status = 'sent'
       GROUP BY 1
     ), revenue AS (
       SELECT date_trunc($4, o.placed_at AT TIME ZONE $7)::date AS bucket,
              COALESCE(sum(a.revenue) FILTER (WHERE a.recovered), 0) AS recovered,
              COALESCE(sum(a.revenue) FILTER (WHERE NOT a.recovered), 0) AS other
       FROM attribution a JOIN "order" o ON o.id = a.order_id AND o.shop = a.shop
       WHERE a.shop = $1 AND o.placed_at >= $2 AND o.placed_at < $3
       GROUP BY 1
     )
     SELECT to_char(b.bucket, 'YYYY-MM-DD') AS start, COALESCE(t.n, 0)::int AS texts,
            COALESCE(r.recovered, 0)::text AS recovered, COALESCE(r.other, 0)::text AS other
     FROM buckets b LEFT JOIN texts t ON t.bucket = b.bucket LEFT JOIN revenue r ON r.bucket = b.bucket
     ORDER BY b.bucket`,
    [w.shop, w.from, w.to, w.bucket, w.firstDay, w.lastDay, w.timeZone],
  );
  return rows.map((r) => ({ start: r.start, texts: r.texts, recoveredRevenue: Number(r.recovered), otherRevenue: Number(r.other) }));
}

export interface StageFunnel {
  joined: number;
  startedCheckout: number;
  bought: number;
  boughtAgain: number;
}

/**
 * Of the shoppers who joined in the period, how many have reached each journey stage. Stages
 * only move forward (app/journey/state.ts stageOf), so "reached" is "is at this stage or later".
 * Joined is signed up (a consent given or awaiting its "Y", now or before a later STOP) or
 * checked out (a checkout or an order). A number known only from a STOP or another reply to a
 * text joined nothing and is left out. Only a shopper at awareness without consent needs the
 * evidence of consent or checkout rows, so only those few candidates are looked up, one probe
 * each (LATERAL … LIMIT 1, which the planner can't turn into a hash of every consent and
 * checkout; indexes checkout(shop, shopper_id), consent(shop, shopper_id, …)), in the same
 * pass that counts the stages: a third of the time of materializing the period's shoppers
 * and matching the candidates back to them (docs/benchmarks.md, 7 Dec 2026).
 */
export async function stageFunnel(sql: SqlDriver, w: SeriesWindow): Promise<StageFunnel> {
  const [row] = await sql.query<StageFunnel>(
    `SELECT count(*) FILTER (WHERE s.plainly OR evidence.found)::int AS "joined",
            count(*) FILTER (WHERE s.stage IN ('consideration', 'conversion', 'loyalty'))::int AS "startedCheckout",
            count(*) FILTER (WHERE s.stage IN ('conversion', 'loyalty'))::int AS "bought",
            count(*) FILTER (WHERE s.stage = 'loyalty')::int AS "boughtAgain"
     FROM (SELECT s.id, s.stage, s.consent IN ('granted', 'pending') OR s.stage <> 'awareness' AS plainly
           FROM shopper s
           WHERE s.shop = $1 AND s.consent <> 'redacted' AND s.created_at >= $2 AND s.created_at < $3) s
     LEFT JOIN LATERAL (SELECT true AS found FROM checkout k WHERE NOT s.plainly AND k.shop = $1 AND k.shopper_id = s.id
                        UNION ALL
                        SELECT true FROM consent c WHERE NOT s.plainly AND c.shop = $1 AND c.shopper_id = s.id AND c.status IN ('granted', 'pending')
                        LIMIT 1) evidence ON true`,
    [w.shop, w.from, w.to],
  );
  return row ?? { joined: 0, startedCheckout: 0, bought: 0, boughtAgain: 0 };
}

// Spend per customer in shop currency over their whole history to the period's end: the same
// measure as the dashboard's "Customer lifetime value", so the histogram explains that average.
export const CUSTOMER_VALUE_EDGES = [50, 100, 250, 500, 1000];
// Days since a customer's last order, as of the end of the period.
export const RECENCY_EDGES = [30, 60, 90, 180];

export interface CustomerOrders {
  /** Customers who ordered in the period by how many orders they placed in it: 1, 2, 3, 4 or more. */
  ordersPerCustomer: number[];
  /** Everyone who had ordered by the period's end, by how much they had spent by then. */
  customerValue: Histogram;
  /** The same customers by days since their last order, as of the period's end. */
  recency: Histogram;
  /** The same customers and what they had spent in all, for the lifetime value. */
  lifetime: { customers: number; revenue: number };
}

/**
 * Every figure the dashboard takes from customers' orders, in one pass over the shop's orders
 * to the period's end (imported history included, ADR 014): orders per customer in the period
 * (and so the repeat purchase rate), lifetime value, and the value and recency histograms,
 * which are states at the period's end, so its start doesn't narrow them. Four statements used
 * to read the same orders four times (docs/benchmarks.md, 7 Dec 2026).
 */
export async function customerOrders(sql: SqlDriver, w: Pick<SeriesWindow, "shop" | "from" | "to">): Promise<CustomerOrders> {
  const rows = await sql.query<CustomerOrdersRow>(
    // One hash of the per-customer rows for all four (GROUPING SETS): a third faster than four
    // scans of them materialized (docs/benchmarks.md, 7 Dec 2026).
    `SELECT CASE GROUPING(orders, value, recency) WHEN 3 THEN 'orders' WHEN 5 THEN 'value' WHEN 6 THEN 'recency' ELSE 'lifetime' END AS kind,
            COALESCE(orders, value, recency, 0) AS bucket, count(*)::int AS customers, sum(spent)::text AS revenue
     FROM (SELECT least(count(*) FILTER (WHERE placed_at >= $2), 4)::int AS orders,
                  width_bucket(sum(total_price), $4::numeric[]) AS value,
                  width_bucket(EXTRACT(EPOCH FROM ($3::timestamptz - max(placed_at))) / 86400, $5::numeric[]) AS recency,
                  sum(total_price) AS spent
           FROM "order"
           WHERE shop = $1 AND placed_at < $3 AND shopper_id IS NOT NULL
           GROUP BY shopper_id) per_customer
     GROUP BY GROUPING SETS ((orders), (value), (recency), ())`,
    [w.shop, w.from, w.to, CUSTOMER_VALUE_EDGES, RECENCY_EDGES],
  );
  return customerOrdersFromRows(rows);
}

/** One row of customerOrders' SQL (and of app/dashboard/customer-totals.server.ts's): a bucket of a kind. */
export interface CustomerOrdersRow {
  kind: "orders" | "value" | "recency" | "lifetime";
  bucket: number;
  customers: number;
  revenue: string | null;
}

export function customerOrdersFromRows(rows: CustomerOrdersRow[]): CustomerOrders {
  const of = (kind: string) => rows.filter((r) => r.kind === kind);
  const lifetime = of("lifetime")[0];
  return {
    // Bucket 0 of "orders" is the customers who ordered before the period but not in it.
    ordersPerCustomer: [1, 2, 3, 4].map((n) => of("orders").find((r) => r.bucket === n)?.customers ?? 0),
    customerValue: histogram(CUSTOMER_VALUE_EDGES, of("value")),
    recency: histogram(RECENCY_EDGES, of("recency")),
    lifetime: { customers: lifetime?.customers ?? 0, revenue: Number(lifetime?.revenue ?? 0) },
  };
}

function histogram(edges: number[], rows: { bucket: number; customers: number }[]): Histogram {
  // width_bucket gives 0 below the first edge and edges.length at or above the last.
  return { edges, counts: Array.from({ length: edges.length + 1 }, (_, i) => rows.find((r) => r.bucket === i)?.customers ?? 0) };
}

/** Whether the shop has anything to chart at all: a shopper, an order or a text, ever. */
export async function shopHasActivity(sql: SqlDriver, shop: string): Promise<boolean> {
  const [row] = await sql.query<{ any: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM shopper WHERE shop = $1)
            OR EXISTS (SELECT 1 FROM "order" WHERE shop = $1)
            OR EXISTS (SELECT 1 FROM scheduled_message WHERE shop = $1) AS any`,
    [shop],
  );
  return row?.any ?? false;
}
