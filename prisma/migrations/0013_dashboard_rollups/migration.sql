-- Dashboard rollups (issue #23 item 2; docs/decisions/010-dashboard-queries.md, amendment of
-- 6 Dec 2026). The tables are schema.prisma's (npm run db:migration); the triggers after them are
-- not expressible there.
-- CreateTable
CREATE TABLE "dashboard_day" (
    "shop" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "time_zone" TEXT NOT NULL,
    "refreshed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dashboard_day_pkey" PRIMARY KEY ("shop","day")
);

-- CreateTable
CREATE TABLE "dashboard_dirty_hour" (
    "shop" TEXT NOT NULL,
    "hour" TIMESTAMP(0) NOT NULL,

    CONSTRAINT "dashboard_dirty_hour_pkey" PRIMARY KEY ("shop","hour")
);

-- CreateTable
CREATE TABLE "dashboard_text_day" (
    "shop" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "flow" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "texts" INTEGER NOT NULL,
    "sent" INTEGER NOT NULL,
    "delivered" INTEGER NOT NULL,
    "clicked" INTEGER NOT NULL,
    "converted" INTEGER NOT NULL,
    "recovered" DECIMAL(14,2) NOT NULL,
    "segments" INTEGER NOT NULL,

    CONSTRAINT "dashboard_text_day_pkey" PRIMARY KEY ("shop","day","flow","stage")
);

-- CreateTable
CREATE TABLE "dashboard_lift_day" (
    "shop" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "flow" TEXT NOT NULL,
    "treated" INTEGER NOT NULL,
    "treated_converted" INTEGER NOT NULL,
    "control" INTEGER NOT NULL,
    "control_converted" INTEGER NOT NULL,
    "treated_revenue" DECIMAL(14,2),

    CONSTRAINT "dashboard_lift_day_pkey" PRIMARY KEY ("shop","day","flow")
);

-- CreateTable
CREATE TABLE "dashboard_revenue_day" (
    "shop" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "recovered" DECIMAL(14,2) NOT NULL,
    "other" DECIMAL(14,2) NOT NULL,

    CONSTRAINT "dashboard_revenue_day_pkey" PRIMARY KEY ("shop","day")
);

-- AddForeignKey
ALTER TABLE "dashboard_dirty_hour" ADD CONSTRAINT "dashboard_dirty_hour_shop_fkey" FOREIGN KEY ("shop") REFERENCES "shop"("domain") ON DELETE CASCADE ON UPDATE CASCADE;


-- Marking. Every write that can change what a rollup counts marks the UTC hours of the
-- instants it affects (a text's sent_at or due_at, an order's placed_at) in
-- dashboard_dirty_hour; app/dashboard/rollups.server.ts maps the hours to the shop's days and
-- recomputes those days before it reads them. Statement-level triggers with transition tables
-- run once per statement, however many rows it writes
-- (https://www.postgresql.org/docs/current/sql-createtrigger.html). ON CONFLICT DO NOTHING
-- against a committed mark takes no lock, so the hour being written right now (marked by its
-- first write) costs later writes one index probe and no wait. Only shops with a shop row are
-- marked (the foreign key; shop/redact deletes the shop row after the texts and orders it
-- erases, and the cascade takes the marks those deletions made).
-- Each trigger collects the distinct (shop, UTC hour) pairs first, so a bulk statement (an
-- import, the bench's seed) passes one mark per hour, not one per row.
CREATE FUNCTION nudge_dashboard_mark(marks jsonb) RETURNS void LANGUAGE sql AS $$
  INSERT INTO dashboard_dirty_hour (shop, hour)
  SELECT DISTINCT m.shop, m.at
  FROM jsonb_to_recordset(marks) AS m(shop text, at timestamp)
  JOIN shop s ON s.domain = m.shop
  WHERE m.at IS NOT NULL
  ON CONFLICT DO NOTHING
$$;

-- Texts: sent or skipped ones count (sent_at for texts by flow, due_at for the lift). An update
-- marks only when a column the rollups read changed, so claims and retries of scheduled texts
-- mark nothing.
CREATE FUNCTION nudge_dashboard_dirty_messages() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE marks jsonb;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT jsonb_agg(jsonb_build_object('shop', x.shop, 'at', x.hour)) INTO marks FROM (
      SELECT DISTINCT r.shop, date_trunc('hour', t.at AT TIME ZONE 'UTC') AS hour
      FROM new_rows r CROSS JOIN LATERAL (VALUES (r.sent_at), (r.due_at)) t(at)
      WHERE r.status IN ('sent', 'skipped')) x;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT jsonb_agg(jsonb_build_object('shop', x.shop, 'at', x.hour)) INTO marks FROM (
      SELECT DISTINCT r.shop, date_trunc('hour', t.at AT TIME ZONE 'UTC') AS hour
      FROM old_rows r CROSS JOIN LATERAL (VALUES (r.sent_at), (r.due_at)) t(at)
      WHERE r.status IN ('sent', 'skipped')) x;
  ELSE
    SELECT jsonb_agg(jsonb_build_object('shop', x.shop, 'at', x.hour)) INTO marks FROM (
      SELECT DISTINCT t.shop, date_trunc('hour', t.at AT TIME ZONE 'UTC') AS hour
      FROM old_rows o JOIN new_rows n ON n.id = o.id
      CROSS JOIN LATERAL (VALUES (o.shop, o.sent_at), (o.shop, o.due_at), (n.shop, n.sent_at), (n.shop, n.due_at)) t(shop, at)
      WHERE (o.status IN ('sent', 'skipped') OR n.status IN ('sent', 'skipped'))
        AND (o.shop, o.shopper_id, o.flow, o.step, o.status, o.reason, o.sent_at, o.due_at, o.delivery_status, o.segments, o.checkout_token)
            IS DISTINCT FROM (n.shop, n.shopper_id, n.flow, n.step, n.status, n.reason, n.sent_at, n.due_at, n.delivery_status, n.segments, n.checkout_token)) x;
  END IF;
  IF marks IS NOT NULL THEN PERFORM nudge_dashboard_mark(marks); END IF;
  RETURN NULL;
END $$;

-- Shoppers: texts by flow group by the shopper's current stage, so a stage change (or a
-- shopper coming or going) marks the days of that shopper's sent texts (index
-- scheduled_message(shop, shopper_id, status)).
CREATE FUNCTION nudge_dashboard_dirty_shoppers() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE marks jsonb;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT jsonb_agg(DISTINCT jsonb_build_object('shop', m.shop, 'at', date_trunc('hour', m.sent_at AT TIME ZONE 'UTC'))) INTO marks
    FROM new_rows r JOIN scheduled_message m ON m.shop = r.shop AND m.shopper_id = r.id AND m.status = 'sent';
  ELSIF TG_OP = 'DELETE' THEN
    SELECT jsonb_agg(DISTINCT jsonb_build_object('shop', m.shop, 'at', date_trunc('hour', m.sent_at AT TIME ZONE 'UTC'))) INTO marks
    FROM old_rows r JOIN scheduled_message m ON m.shop = r.shop AND m.shopper_id = r.id AND m.status = 'sent';
  ELSE
    SELECT jsonb_agg(DISTINCT jsonb_build_object('shop', m.shop, 'at', date_trunc('hour', m.sent_at AT TIME ZONE 'UTC'))) INTO marks
    FROM old_rows o JOIN new_rows n ON n.id = o.id
    JOIN scheduled_message m ON m.shop IN (o.shop, n.shop) AND m.shopper_id = n.id AND m.status = 'sent'
    WHERE (o.shop, o.stage) IS DISTINCT FROM (n.shop, n.stage);
  END IF;
  IF marks IS NOT NULL THEN PERFORM nudge_dashboard_mark(marks); END IF;
  RETURN NULL;
END $$;

-- Tracked links: a text counts as clicked when one of its links has a click.
CREATE FUNCTION nudge_dashboard_dirty_links() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE marks jsonb;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT jsonb_agg(DISTINCT jsonb_build_object('shop', m.shop, 'at', date_trunc('hour', m.sent_at AT TIME ZONE 'UTC'))) INTO marks
    FROM new_rows r JOIN scheduled_message m ON m.id = r.message_id WHERE r.clicks > 0;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT jsonb_agg(DISTINCT jsonb_build_object('shop', m.shop, 'at', date_trunc('hour', m.sent_at AT TIME ZONE 'UTC'))) INTO marks
    FROM old_rows r JOIN scheduled_message m ON m.id = r.message_id WHERE r.clicks > 0;
  ELSE
    SELECT jsonb_agg(DISTINCT jsonb_build_object('shop', m.shop, 'at', date_trunc('hour', m.sent_at AT TIME ZONE 'UTC'))) INTO marks
    FROM old_rows o JOIN new_rows n ON n.id = o.id
    JOIN scheduled_message m ON m.id IN (o.message_id, n.message_id)
    WHERE (o.shop, o.message_id, o.clicks > 0) IS DISTINCT FROM (n.shop, n.message_id, n.clicks > 0);
  END IF;
  IF marks IS NOT NULL THEN PERFORM nudge_dashboard_mark(marks); END IF;
  RETURN NULL;
END $$;

-- Credits: the credited text's send (converted, recovered revenue) and the order's placement
-- (revenue by order date), however late the credit comes.
CREATE FUNCTION nudge_dashboard_dirty_attributions() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE marks jsonb;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT jsonb_agg(DISTINCT t.mark) INTO marks FROM (
      SELECT jsonb_build_object('shop', m.shop, 'at', date_trunc('hour', m.sent_at AT TIME ZONE 'UTC')) AS mark FROM new_rows r JOIN scheduled_message m ON m.id = r.message_id
      UNION ALL
      SELECT jsonb_build_object('shop', o.shop, 'at', date_trunc('hour', o.placed_at AT TIME ZONE 'UTC')) FROM new_rows r JOIN "order" o ON o.id = r.order_id) t;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT jsonb_agg(DISTINCT t.mark) INTO marks FROM (
      SELECT jsonb_build_object('shop', m.shop, 'at', date_trunc('hour', m.sent_at AT TIME ZONE 'UTC')) AS mark FROM old_rows r JOIN scheduled_message m ON m.id = r.message_id
      UNION ALL
      SELECT jsonb_build_object('shop', o.shop, 'at', date_trunc('hour', o.placed_at AT TIME ZONE 'UTC')) FROM old_rows r JOIN "order" o ON o.id = r.order_id) t;
  ELSE
    SELECT jsonb_agg(DISTINCT t.mark) INTO marks FROM (
      SELECT jsonb_build_object('shop', m.shop, 'at', date_trunc('hour', m.sent_at AT TIME ZONE 'UTC')) AS mark
      FROM old_rows o JOIN new_rows n ON n.id = o.id JOIN scheduled_message m ON m.id IN (o.message_id, n.message_id)
      WHERE (o.shop, o.message_id, o.order_id, o.recovered, o.revenue) IS DISTINCT FROM (n.shop, n.message_id, n.order_id, n.recovered, n.revenue)
      UNION ALL
      SELECT jsonb_build_object('shop', x.shop, 'at', date_trunc('hour', x.placed_at AT TIME ZONE 'UTC'))
      FROM old_rows o JOIN new_rows n ON n.id = o.id JOIN "order" x ON x.id IN (o.order_id, n.order_id)
      WHERE (o.shop, o.message_id, o.order_id, o.recovered, o.revenue) IS DISTINCT FROM (n.shop, n.message_id, n.order_id, n.recovered, n.revenue)) t;
  END IF;
  IF marks IS NOT NULL THEN PERFORM nudge_dashboard_mark(marks); END IF;
  RETURN NULL;
END $$;

-- Orders: the placement (revenue by order date), and the lift's first texts the order can
-- convert: the buyer's first texts of the other flows due in the 30 days before it (the
-- longest conversion window, holdout-lift.server.ts CONVERSION_DAYS), and the cart texts of
-- its checkout (its total is the treated revenue), found through the order's and the
-- checkout's shopper (a checkout's cart texts go to its shopper).
CREATE FUNCTION nudge_dashboard_order_marks(rows jsonb) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_agg(DISTINCT t.mark) FROM (
    SELECT jsonb_build_object('shop', r.shop, 'at', date_trunc('hour', r.placed_at AT TIME ZONE 'UTC')) AS mark
    FROM jsonb_to_recordset(rows) AS r(shop text, shopper_id uuid, checkout_token text, placed_at timestamptz)
    UNION ALL
    SELECT jsonb_build_object('shop', m.shop, 'at', date_trunc('hour', m.due_at AT TIME ZONE 'UTC'))
    FROM jsonb_to_recordset(rows) AS r(shop text, shopper_id uuid, checkout_token text, placed_at timestamptz)
    JOIN scheduled_message m ON m.shop = r.shop AND m.shopper_id = r.shopper_id AND m.status IN ('sent', 'skipped')
    WHERE m.step = 1 AND m.due_at >= r.placed_at - interval '30 days' AND m.due_at < r.placed_at
    UNION ALL
    SELECT jsonb_build_object('shop', m.shop, 'at', date_trunc('hour', m.due_at AT TIME ZONE 'UTC'))
    FROM jsonb_to_recordset(rows) AS r(shop text, shopper_id uuid, checkout_token text, placed_at timestamptz)
    LEFT JOIN checkout c ON c.shop = r.shop AND c.token = r.checkout_token
    JOIN scheduled_message m ON m.shop = r.shop AND m.shopper_id IN (r.shopper_id, c.shopper_id) AND m.status IN ('sent', 'skipped')
    WHERE r.checkout_token IS NOT NULL AND m.checkout_token = r.checkout_token AND m.step = 1) t
$$;

CREATE FUNCTION nudge_dashboard_dirty_orders() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE rows jsonb;
DECLARE marks jsonb;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT jsonb_agg(to_jsonb(r)) INTO rows FROM (SELECT shop, shopper_id, checkout_token, placed_at FROM new_rows) r;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT jsonb_agg(to_jsonb(r)) INTO rows FROM (SELECT shop, shopper_id, checkout_token, placed_at FROM old_rows) r;
  ELSE
    SELECT jsonb_agg(to_jsonb(r)) INTO rows FROM (
      SELECT o.shop, o.shopper_id, o.checkout_token, o.placed_at FROM old_rows o JOIN new_rows n ON n.id = o.id
      WHERE (o.shop, o.shopper_id, o.checkout_token, o.placed_at, o.total_price) IS DISTINCT FROM (n.shop, n.shopper_id, n.checkout_token, n.placed_at, n.total_price)
      UNION ALL
      SELECT n.shop, n.shopper_id, n.checkout_token, n.placed_at FROM old_rows o JOIN new_rows n ON n.id = o.id
      WHERE (o.shop, o.shopper_id, o.checkout_token, o.placed_at, o.total_price) IS DISTINCT FROM (n.shop, n.shopper_id, n.checkout_token, n.placed_at, n.total_price)) r;
  END IF;
  IF rows IS NOT NULL THEN
    marks := nudge_dashboard_order_marks(rows);
    IF marks IS NOT NULL THEN PERFORM nudge_dashboard_mark(marks); END IF;
  END IF;
  RETURN NULL;
END $$;

-- Checkouts: a cart text converts when its checkout completes within 7 days.
CREATE FUNCTION nudge_dashboard_dirty_checkouts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE marks jsonb;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT jsonb_agg(DISTINCT jsonb_build_object('shop', m.shop, 'at', date_trunc('hour', m.due_at AT TIME ZONE 'UTC'))) INTO marks
    FROM new_rows r JOIN scheduled_message m ON m.shop = r.shop AND m.shopper_id = r.shopper_id AND m.status IN ('sent', 'skipped')
    WHERE m.checkout_token = r.token AND m.step = 1;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT jsonb_agg(DISTINCT jsonb_build_object('shop', m.shop, 'at', date_trunc('hour', m.due_at AT TIME ZONE 'UTC'))) INTO marks
    FROM old_rows r JOIN scheduled_message m ON m.shop = r.shop AND m.shopper_id = r.shopper_id AND m.status IN ('sent', 'skipped')
    WHERE m.checkout_token = r.token AND m.step = 1;
  ELSE
    SELECT jsonb_agg(DISTINCT jsonb_build_object('shop', m.shop, 'at', date_trunc('hour', m.due_at AT TIME ZONE 'UTC'))) INTO marks
    FROM old_rows o JOIN new_rows n ON n.shop = o.shop AND n.token = o.token
    JOIN scheduled_message m ON m.shop = n.shop AND m.shopper_id IN (o.shopper_id, n.shopper_id) AND m.status IN ('sent', 'skipped')
    WHERE (o.completed_at, o.shopper_id) IS DISTINCT FROM (n.completed_at, n.shopper_id)
      AND m.checkout_token = n.token AND m.step = 1;
  END IF;
  IF marks IS NOT NULL THEN PERFORM nudge_dashboard_mark(marks); END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER scheduled_message_dashboard_insert AFTER INSERT ON "scheduled_message" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION nudge_dashboard_dirty_messages();
CREATE TRIGGER scheduled_message_dashboard_update AFTER UPDATE ON "scheduled_message" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION nudge_dashboard_dirty_messages();
CREATE TRIGGER scheduled_message_dashboard_delete AFTER DELETE ON "scheduled_message" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION nudge_dashboard_dirty_messages();

CREATE TRIGGER shopper_dashboard_insert AFTER INSERT ON "shopper" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION nudge_dashboard_dirty_shoppers();
CREATE TRIGGER shopper_dashboard_update AFTER UPDATE ON "shopper" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION nudge_dashboard_dirty_shoppers();
CREATE TRIGGER shopper_dashboard_delete AFTER DELETE ON "shopper" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION nudge_dashboard_dirty_shoppers();

CREATE TRIGGER short_link_dashboard_insert AFTER INSERT ON "short_link" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION nudge_dashboard_dirty_links();
CREATE TRIGGER short_link_dashboard_update AFTER UPDATE ON "short_link" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION nudge_dashboard_dirty_links();
CREATE TRIGGER short_link_dashboard_delete AFTER DELETE ON "short_link" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION nudge_dashboard_dirty_links();

CREATE TRIGGER attribution_dashboard_insert AFTER INSERT ON "attribution" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION nudge_dashboard_dirty_attributions();
CREATE TRIGGER attribution_dashboard_update AFTER UPDATE ON "attribution" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION nudge_dashboard_dirty_attributions();
CREATE TRIGGER attribution_dashboard_delete AFTER DELETE ON "attribution" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION nudge_dashboard_dirty_attributions();

CREATE TRIGGER order_dashboard_insert AFTER INSERT ON "order" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION nudge_dashboard_dirty_orders();
CREATE TRIGGER order_dashboard_update AFTER UPDATE ON "order" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION nudge_dashboard_dirty_orders();
CREATE TRIGGER order_dashboard_delete AFTER DELETE ON "order" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION nudge_dashboard_dirty_orders();

CREATE TRIGGER checkout_dashboard_insert AFTER INSERT ON "checkout" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION nudge_dashboard_dirty_checkouts();
CREATE TRIGGER checkout_dashboard_update AFTER UPDATE ON "checkout" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION nudge_dashboard_dirty_checkouts();
CREATE TRIGGER checkout_dashboard_delete AFTER DELETE ON "checkout" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION nudge_dashboard_dirty_checkouts();
