import type { SqlDriver } from "../../app/db/sql-driver.server";

export const DASHBOARD_SHOP = "bench-dashboard.myshopify.com";

/**
 * A year of one busy shop, set-based: `shoppers` shoppers across journey stages and consent
 * states, one checkout each (30% completed), `orders` orders (the first fifth of buyers
 * ordered twice), `messages` texts spread over the year (10 per shopper; sent, skipped with
 * reasons including the holdout, failed, cancelled, a few scheduled ahead), delivery statuses,
 * tracked links with clicks, last-touch attributions for a third of orders, consent evidence,
 * journey events and NPS answers. Needs bench_uuid() (seed-outbox.ts).
 */
export async function seedShopHistory(sql: SqlDriver, size: { shoppers: number; messages: number; orders: number }, now: Date, shop = DASHBOARD_SHOP): Promise<void> {
  const year = 365 * 86_400_000;
  const p = [shop, size.shoppers, now, year];
  await sql.query(`INSERT INTO shop (domain, name, timezone, currency, settings) VALUES ($1, 'Bench Shop', 'America/New_York', 'USD', '{}')`, [shop]);
  await sql.query(
    `INSERT INTO shopper (id, shop, phone, customer_id, email, first_name, country, stage, consent, state, created_at, updated_at)
     SELECT bench_uuid(11, i), $1, '+1212' || (2000000 + i), 'c' || i, 'shopper' || i || '@example.com', (ARRAY['Ana','Ben','Chloé','Dev','Eun','Femi'])[i % 6 + 1], 'US',
            (ARRAY['awareness','awareness','awareness','consideration','consideration','consideration','conversion','conversion','loyalty','loyalty'])[i % 10 + 1],
            CASE WHEN i % 20 = 0 THEN 'revoked' WHEN i % 20 = 1 THEN 'none' ELSE 'granted' END,
            '{}'::jsonb, $3::timestamptz - ($4::bigint * (i::double precision / $2::int)) * interval '1 millisecond',
            $3::timestamptz - ($4::bigint * ((i::bigint * 7919 % $2::int)::double precision / $2::int)) * interval '1 millisecond'
     FROM generate_series(1, $2::int) i`,
    p,
  );
  await sql.query(
    `INSERT INTO checkout (shop, token, cart_token, shopper_id, phone, abandoned_checkout_url, total_price, currency, line_items, started_at, last_activity_at, completed_at)
     SELECT $1, 'ck-' || i, 'cart-' || i, bench_uuid(11, i), '+1212' || (2000000 + i), 'https://' || $1 || '/checkouts/ck-' || i || '/recover',
            20 + (i % 13) * 7.5, 'USD', '[{"title":"Merino crew socks","quantity":2}]'::jsonb, t, t + interval '10 minutes',
            CASE WHEN i % 10 < 3 THEN t + interval '3 hours' END
     FROM generate_series(1, $2::int) i, LATERAL (SELECT $3::timestamptz - ($4::bigint * ((i::bigint * 104729 % $2::int)::double precision / $2::int)) * interval '1 millisecond' AS t) x`,
    p,
  );
  // Order j: buyer (j - 1) % (orders * 0.8) + 1, so a fifth of buyers order twice.
  await sql.query(
    `INSERT INTO "order" (id, shop, shopify_order_id, name, shopper_id, checkout_token, total_price, currency, placed_at)
     SELECT bench_uuid(13, j), $1, 'gid://shopify/Order/' || j, '#' || (1000 + j), bench_uuid(11, b), CASE WHEN j = b THEN 'ck-' || b END,
            25 + (j % 17) * 6.5, 'USD', $3::timestamptz - ($4::bigint * ((j::bigint * 7907 % $2::int)::double precision / $2::int)) * interval '1 millisecond'
     FROM generate_series(1, $2::int) j, LATERAL (SELECT (j - 1) % greatest(1, ($2::int * 4) / 5) + 1 AS b) x`,
    [shop, size.orders, now, year],
  );
  await sql.query(
    `UPDATE shopper s SET last_order_at = o.last, order_count = o.n
     FROM (SELECT shopper_id, max(placed_at) AS last, count(*)::int AS n FROM "order" WHERE shop = $1 GROUP BY shopper_id) o
     WHERE s.id = o.shopper_id`,
    [shop],
  );
  // Message k: shopper (k - 1) % shoppers + 1, due over the year.
  await sql.query(
    `INSERT INTO scheduled_message (id, shop, shopper_id, dedupe_key, flow, step, checkout_token, due_at, status, reason, body, segments, encoding,
                                    attempts, sent_at, provider_sid, delivery_status, delivered_at, error_code)
     SELECT bench_uuid(12, k), $1, bench_uuid(11, s), 'm' || k, flow, 1, CASE WHEN flow = 'cart_recovery' THEN 'ck-' || s END,
            due, status, reason,
            CASE WHEN status = 'sent' THEN 'Bench Shop: you left Merino crew socks in your cart. Finish here: https://nudge.bench.example/r/' || k || ' Reply STOP to opt out' END,
            CASE WHEN status = 'sent' THEN 1 + k % 2 END, CASE WHEN status = 'sent' THEN 'GSM-7' END, CASE WHEN status IN ('sent', 'failed') THEN 1 ELSE 0 END,
            CASE WHEN status = 'sent' THEN due + interval '2 seconds' END, CASE WHEN status = 'sent' THEN 'SM' || md5(k::text) END,
            CASE WHEN status = 'sent' THEN CASE WHEN k % 20 = 0 THEN 'undelivered' ELSE 'delivered' END END,
            CASE WHEN status = 'sent' AND k % 20 <> 0 THEN due + interval '5 seconds' END,
            CASE WHEN status = 'failed' THEN 21211 END
     FROM generate_series(1, $5::int) k,
     LATERAL (SELECT (k - 1) % $2::int + 1 AS s,
                     (ARRAY['cart_recovery','cart_recovery','cart_recovery','cart_recovery','cart_recovery','welcome','post_purchase','post_purchase','win_back','win_back'])[k % 10 + 1] AS flow,
                     CASE WHEN k % 100 < 2 THEN $3::timestamptz + (k % 1000) * interval '1 minute'
                          ELSE $3::timestamptz - ($4::bigint * ((k * 15485863::bigint % $5::int)::double precision / $5::int)) * interval '1 millisecond' END AS due,
                     CASE WHEN k % 100 < 2 THEN 'scheduled' WHEN k % 100 < 72 THEN 'sent' WHEN k % 100 < 80 THEN 'skipped' WHEN k % 100 < 83 THEN 'failed' ELSE 'cancelled' END AS status,
                     CASE WHEN k % 100 BETWEEN 72 AND 79 THEN (ARRAY['holdout','frequency_cap','opted_out','ordered'])[k % 4 + 1]
                          WHEN k % 100 BETWEEN 80 AND 82 THEN 'invalid_number' WHEN k % 100 >= 83 THEN 'ordered' END AS reason) x`,
    [...p, size.messages],
  );
  await sql.query(
    `INSERT INTO short_link (id, shop, message_id, shopper_id, target, clicks, first_clicked_at, last_clicked_at)
     SELECT 'l' || md5(m.id::text), m.shop, m.id, m.shopper_id, 'https://' || m.shop || '/checkouts/' || coalesce(m.checkout_token, 'home'),
            CASE WHEN m.dedupe_key::text LIKE '%3' OR m.dedupe_key::text LIKE '%7' THEN 1 ELSE 0 END,
            CASE WHEN m.dedupe_key::text LIKE '%3' OR m.dedupe_key::text LIKE '%7' THEN m.sent_at + interval '4 minutes' END,
            CASE WHEN m.dedupe_key::text LIKE '%3' OR m.dedupe_key::text LIKE '%7' THEN m.sent_at + interval '4 minutes' END
     FROM scheduled_message m WHERE m.shop = $1 AND m.status = 'sent' AND m.flow IN ('cart_recovery', 'win_back')`,
    [shop],
  );
  // Last touch: a third of orders credited to the buyer's latest text sent before the order.
  await sql.query(
    `INSERT INTO attribution (shop, order_id, message_id, shopper_id, flow, rule, touched_at, recovered, revenue, currency)
     SELECT DISTINCT ON (o.id) o.shop, o.id, m.id, o.shopper_id, m.flow, CASE WHEN m.flow = 'cart_recovery' THEN 'click' ELSE 'code' END,
            m.sent_at, m.flow = 'cart_recovery', o.total_price, o.currency
     FROM "order" o JOIN scheduled_message m ON m.shop = o.shop AND m.shopper_id = o.shopper_id AND m.status = 'sent' AND m.sent_at < o.placed_at
     WHERE o.shop = $1 AND right(o.shopify_order_id, 1) IN ('1', '4', '7')
     ORDER BY o.id, m.sent_at DESC`,
    [shop],
  );
  await sql.query(
    `INSERT INTO consent (shop, shopper_id, phone, status, source, collected_at, ip, user_agent, disclosure_text, disclosure_version)
     SELECT $1, s.id, s.phone, CASE WHEN s.consent = 'revoked' THEN 'revoked' ELSE 'granted' END, CASE WHEN i % 3 = 0 THEN 'popup' ELSE 'checkout' END,
            s.created_at, '203.0.113.' || (i % 250), 'Mozilla/5.0 (iPhone) Safari', 'Get texts from Bench Shop. Msg & data rates may apply. Reply STOP to opt out.', '1'
     FROM generate_series(1, $2::int) i JOIN shopper s ON s.id = bench_uuid(11, i) WHERE s.consent <> 'none'`,
    [shop, size.shoppers],
  );
  await sql.query(
    `INSERT INTO journey_event (shop, shopper_id, type, occurred_at, data)
     SELECT $1, bench_uuid(11, i), t.type, $3::timestamptz - ($4::bigint * ((i * 31 % $2::int)::double precision / $2::int)) * interval '1 millisecond',
            CASE WHEN t.type = 'nps' THEN jsonb_build_object('score', i % 11) ELSE jsonb_build_object('token', 'ck-' || i) END
     FROM generate_series(1, $2::int) i
     CROSS JOIN LATERAL (VALUES ('opted_in'), ('checkout_updated'), (CASE WHEN i % 10 = 0 THEN 'nps' ELSE 'link_clicked' END)) t(type)`,
    p,
  );
}
