-- Dashboard rollups, round two (issue #23; docs/decisions/010-dashboard-queries.md, amendment of
-- 7 Dec 2026, NPS by day and the customers' orders as of today). The tables are schema.prisma's
-- (npm run db:migration); the triggers after them are not expressible there.
-- CreateTable
CREATE TABLE "dashboard_nps_day" (
    "shop" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "responses" INTEGER NOT NULL,
    "promoters" INTEGER NOT NULL,
    "detractors" INTEGER NOT NULL,

    CONSTRAINT "dashboard_nps_day_pkey" PRIMARY KEY ("shop","day")
);

-- CreateTable
CREATE TABLE "dashboard_customers_as_of" (
    "shop" TEXT NOT NULL,
    "placed_before" TIMESTAMPTZ(3) NOT NULL,
    "period_end" TIMESTAMPTZ(3) NOT NULL,
    "value_edges" DECIMAL(65,30)[],
    "recency_edges" DECIMAL(65,30)[],

    CONSTRAINT "dashboard_customers_as_of_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "dashboard_customer_bucket" (
    "shop" TEXT NOT NULL,
    "value" INTEGER NOT NULL,
    "recency" INTEGER NOT NULL,
    "customers" INTEGER NOT NULL,
    "spent" DECIMAL(16,2) NOT NULL,

    CONSTRAINT "dashboard_customer_bucket_pkey" PRIMARY KEY ("shop","value","recency")
);

-- CreateTable
CREATE TABLE "dashboard_customer" (
    "shop" TEXT NOT NULL,
    "shopper_id" UUID NOT NULL,
    "orders" INTEGER NOT NULL,
    "spent" DECIMAL(16,2) NOT NULL,
    "last_placed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "dashboard_customer_pkey" PRIMARY KEY ("shop","shopper_id")
);

-- CreateTable
CREATE TABLE "dashboard_dirty_order_hour" (
    "shop" TEXT NOT NULL,
    "hour" TIMESTAMP(0) NOT NULL,

    CONSTRAINT "dashboard_dirty_order_hour_pkey" PRIMARY KEY ("shop","hour")
);

-- DropIndex
DROP INDEX "shopper_joined_report_idx";

-- CreateIndex
CREATE INDEX "shopper_joined_report_idx" ON "shopper"("shop", "created_at", "consent", "stage", "id");

-- AddForeignKey
ALTER TABLE "dashboard_dirty_order_hour" ADD CONSTRAINT "dashboard_dirty_order_hour_shop_fkey" FOREIGN KEY ("shop") REFERENCES "shop"("domain") ON DELETE CASCADE ON UPDATE CASCADE;


-- The days stored before this migration have no NPS rows: they are forgotten, and each is
-- computed again, NPS included, when a dashboard or housekeeping next asks for it.
DELETE FROM "dashboard_day";
DELETE FROM "dashboard_text_day";
DELETE FROM "dashboard_lift_day";
DELETE FROM "dashboard_revenue_day";

-- NPS answers: an answer (a journey_event of type 'nps') marks the UTC hour it occurred in, as
-- migration 0013's triggers mark texts and orders, so the day's NPS counts are recomputed
-- before they are read. Inserts and updates are row-level with WHEN (as 0014's updates), so the
-- journey's other events, written by every webhook, call no function at all; deletes (an
-- erasure, pruning) stay one statement-level call with their transition table.
CREATE FUNCTION nudge_dashboard_dirty_nps_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO dashboard_dirty_hour (shop, hour)
  SELECT DISTINCT t.shop, date_trunc('hour', t.at AT TIME ZONE 'UTC')
  FROM (VALUES (OLD.shop, OLD.occurred_at, OLD.type), (NEW.shop, NEW.occurred_at, NEW.type)) AS t(shop, at, type)
  JOIN shop s ON s.domain = t.shop
  WHERE t.type = 'nps' AND t.at IS NOT NULL
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE FUNCTION nudge_dashboard_dirty_nps_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO dashboard_dirty_hour (shop, hour)
  SELECT DISTINCT r.shop, date_trunc('hour', r.occurred_at AT TIME ZONE 'UTC')
  FROM old_rows r JOIN shop s ON s.domain = r.shop
  WHERE r.type = 'nps'
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE TRIGGER journey_event_dashboard_insert AFTER INSERT ON "journey_event" FOR EACH ROW
  WHEN (NEW.type = 'nps')
  EXECUTE FUNCTION nudge_dashboard_dirty_nps_row();
CREATE TRIGGER journey_event_dashboard_update AFTER UPDATE ON "journey_event" FOR EACH ROW
  WHEN ((OLD.type = 'nps' OR NEW.type = 'nps')
    AND (OLD.shop, OLD.type, OLD.occurred_at, OLD.data->'score') IS DISTINCT FROM (NEW.shop, NEW.type, NEW.occurred_at, NEW.data->'score'))
  EXECUTE FUNCTION nudge_dashboard_dirty_nps_row();
CREATE TRIGGER journey_event_dashboard_delete AFTER DELETE ON "journey_event" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION nudge_dashboard_dirty_nps_deleted();

-- Orders, once more: besides migration 0013's marks, each order written marks the UTC hour of its
-- placed_at (old and new) in dashboard_dirty_order_hour, which says whether the customers'
-- totals as of today (dashboard_customer) must be recomputed: only a write before today's start
-- does that; today's orders are read live. A shop without its row is not marked (its dashboard
-- reads live), as in migration 0013. Inserts and deletes go through 0013's statement-level
-- function; updates through 0014's row-level one.
CREATE FUNCTION nudge_dashboard_mark_orders(rows jsonb) RETURNS void LANGUAGE sql AS $$
  INSERT INTO dashboard_dirty_order_hour (shop, hour)
  SELECT DISTINCT r.shop, date_trunc('hour', r.placed_at AT TIME ZONE 'UTC')
  FROM jsonb_to_recordset(rows) AS r(shop text, placed_at timestamptz)
  JOIN shop s ON s.domain = r.shop
  WHERE r.placed_at IS NOT NULL
  ON CONFLICT DO NOTHING
$$;

CREATE OR REPLACE FUNCTION nudge_dashboard_dirty_orders() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE rows jsonb;
DECLARE marks jsonb;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT jsonb_agg(to_jsonb(r)) INTO rows FROM (SELECT shop, shopper_id, checkout_token, placed_at FROM new_rows) r;
  ELSE
    SELECT jsonb_agg(to_jsonb(r)) INTO rows FROM (SELECT shop, shopper_id, checkout_token, placed_at FROM old_rows) r;
  END IF;
  IF rows IS NOT NULL THEN
    marks := nudge_dashboard_order_marks(rows);
    IF marks IS NOT NULL THEN PERFORM nudge_dashboard_mark(marks); END IF;
    PERFORM nudge_dashboard_mark_orders(rows);
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION nudge_dashboard_dirty_order_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE rows jsonb;
DECLARE marks jsonb;
BEGIN
  rows := jsonb_build_array(
    jsonb_build_object('shop', OLD.shop, 'shopper_id', OLD.shopper_id, 'checkout_token', OLD.checkout_token, 'placed_at', OLD.placed_at),
    jsonb_build_object('shop', NEW.shop, 'shopper_id', NEW.shopper_id, 'checkout_token', NEW.checkout_token, 'placed_at', NEW.placed_at));
  marks := nudge_dashboard_order_marks(rows);
  IF marks IS NOT NULL THEN PERFORM nudge_dashboard_mark(marks); END IF;
  PERFORM nudge_dashboard_mark_orders(rows);
  RETURN NULL;
END $$;
