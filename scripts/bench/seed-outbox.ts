import type { SqlDriver } from "../../app/db/sql-driver.server";

export interface OutboxSeed {
  shops: number;
  shoppers: number;
  /** Due messages; two abandoned checkouts per shopper, each with its first cart text. */
  messages: number;
  /** Messages fall due evenly from `dueFrom` to `dueFrom + windowMs` (0: all due now). */
  dueFrom: Date;
  windowMs: number;
  /**
   * Where the engine's plan puts the first text (the checkouts' last activity is 20 minutes
   * earlier); default `dueFrom`. The send-time guard holds back a text its plan puts later
   * than now, so an outbox seeded ahead and then moved earlier needs a plan that is not ahead.
   */
  plannedFrom?: Date;
  /** Texts per second per sender for every shop (the schema's max is 1000). */
  ratePerSecond: number;
  /** The code each text offers, as the journey plans it (cart step 1: 10% for 48 h); none by default. */
  discount?: { percent: number; expiresInHours: number };
}

export const shopDomain = (i: number) => `bench-${i}.myshopify.com`;

/**
 * Settings that let every due text go: no control group, an all-day window and a cap no
 * shopper reaches, so the benchmark measures sending, not skipping. Everything else is the
 * default (templates, compliance footer).
 */
export function benchShopSettings(ratePerSecond: number) {
  return {
    journey: { holdoutPercent: { cart_recovery: 0 } },
    sending: { ratePerSecond, caps: [{ windowHours: 1, max: 50 }], window: { startHour: 0, endHour: 24 } },
  };
}

/**
 * Seeds shops, consenting shoppers with two abandoned checkouts each (line items, totals,
 * checkout URL), their journey state as the engine stores it, and one due cart-recovery text
 * per checkout, all with set-based SQL. The guards re-run the journey at send time, so the
 * state must be one the engine would have written: consent before each abandonment, and
 * both checkouts within the 48 h carrier window.
 */
export async function seedOutbox(sql: SqlDriver, seed: OutboxSeed): Promise<void> {
  const perShopper = 2;
  if (seed.messages > seed.shoppers * perShopper) throw new Error("at most two messages per shopper");
  await sql.query(
    `INSERT INTO shop (domain, name, timezone, currency, settings)
     SELECT 'bench-' || i || '.myshopify.com', 'Bench Shop ' || i, 'America/Toronto', 'CAD', $2::jsonb
     FROM generate_series(1, $1::int) i`,
    [seed.shops, JSON.stringify(benchShopSettings(seed.ratePerSecond))],
  );
  // Shopper i belongs to shop (i % shops) + 1; phones +1 613 2xx xxxx are distinct.
  await sql.query(
    `INSERT INTO shopper (id, shop, phone, customer_id, email, first_name, country, stage, consent, state)
     SELECT bench_uuid(1, i), 'bench-' || (i % $2::int + 1) || '.myshopify.com', '+1613' || (2000000 + i), 'c' || i,
            'shopper' || i || '@example.com', (ARRAY['Ana','Ben','Chloé','Dev','Eun','Femi'])[i % 6 + 1], 'CA', 'consideration', 'granted',
            jsonb_build_object(
              'phoneRegion', 'CA',
              'consentLog', jsonb_build_array(jsonb_build_object('at', $3::bigint - 3600000, 'kind', 'in', 'source', 'checkout')),
              'checkouts', jsonb_build_object(
                 'ck-' || i || '-1', jsonb_build_object('cartToken', 'cart-' || i || '-1', 'startedAt', $3::bigint - 1800000, 'lastActivityAt', $3::bigint - 1200000, 'completedAt', null),
                 'ck-' || i || '-2', jsonb_build_object('cartToken', 'cart-' || i || '-2', 'startedAt', $3::bigint - 1700000, 'lastActivityAt', $3::bigint - 1140000, 'completedAt', null)),
              'orders', '{}'::jsonb, 'orderCount', 0, 'lastMessageAt', null, 'lastDeliveredAt', null, 'lastClickAt', null)
     FROM generate_series(1, $1::int) i`,
    [seed.shoppers, seed.shops, (seed.plannedFrom ?? seed.dueFrom).getTime()],
  );
  await sql.query(
    `INSERT INTO checkout (shop, token, cart_token, shopper_id, email, phone, abandoned_checkout_url, total_price, currency, presentment_currency, line_items, started_at, last_activity_at)
     SELECT s.shop, 'ck-' || i || '-' || k, 'cart-' || i || '-' || k, s.id, s.email, s.phone,
            'https://' || s.shop || '/checkouts/ck-' || i || '-' || k || '/recover?key=' || md5(i::text || k),
            39.90 + (i % 7) * 10, 'CAD', 'CAD',
            jsonb_build_array(
              jsonb_build_object('title', 'Merino crew socks', 'variantTitle', 'M / Oat', 'quantity', 2, 'price', '14.95'),
              jsonb_build_object('title', 'Canvas tote', 'variantTitle', null, 'quantity', 1, 'price', '24.00')),
            $2::timestamptz - interval '30 minutes', $2::timestamptz - interval '20 minutes' + (k - 1) * interval '1 minute'
     FROM generate_series(1, $1::int) i CROSS JOIN generate_series(1, 2) k JOIN shopper s ON s.id = bench_uuid(1, i)`,
    [seed.shoppers, seed.plannedFrom ?? seed.dueFrom],
  );
  // Message n: shopper ((n - 1) % shoppers) + 1, checkout 1 then 2; due times spread evenly.
  await sql.query(
    `INSERT INTO scheduled_message (id, shop, shopper_id, dedupe_key, flow, step, checkout_token, due_at, status, discount)
     SELECT bench_uuid(2, n), s.shop, s.id, 'cart:ck-' || i || '-' || k || ':1', 'cart_recovery', 1, 'ck-' || i || '-' || k,
            $3::timestamptz + ($4::double precision * (n - 1) / $1::int) * interval '1 millisecond', 'scheduled', $5::jsonb
     FROM generate_series(1, $1::int) n
     CROSS JOIN LATERAL (SELECT (n - 1) % $2::int + 1 AS i, (n - 1) / $2::int + 1 AS k) x
     JOIN shopper s ON s.id = bench_uuid(1, x.i)`,
    [seed.messages, seed.shoppers, seed.dueFrom, seed.windowMs, seed.discount ? JSON.stringify(seed.discount) : null],
  );
}

/** A deterministic uuid per (table kind, row number), so set-based inserts can link rows. */
export async function createUuidHelper(sql: SqlDriver): Promise<void> {
  await sql.exec(
    `CREATE OR REPLACE FUNCTION bench_uuid(kind int, n bigint) RETURNS uuid LANGUAGE sql IMMUTABLE AS
     $$ SELECT (lpad(to_hex(kind), 8, '0') || '-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid $$`,
  );
}
