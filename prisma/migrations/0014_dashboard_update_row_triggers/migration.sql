-- Dashboard rollups: updates mark through row-level triggers with WHEN (issue #23, ingest
-- cost; docs/decisions/010-dashboard-queries.md, amendment of 7 Dec 2026). 0013's AFTER UPDATE
-- triggers were statement-level with transition tables, so they ran their plpgsql and a query on
-- every UPDATE and every INSERT … ON CONFLICT DO UPDATE, even one that changed no row or only
-- columns the rollups don't read: six times per checkout webhook, each about as costly as a
-- small statement (measured with track_functions = all). A transition table forbids a column
-- list (UPDATE OF) and a statement-level trigger has no rows for WHEN
-- (https://www.postgresql.org/docs/current/sql-createtrigger.html), but a row-level trigger's
-- WHEN is checked by the executor before any function is called and captures no transition
-- table: an update that changes nothing the rollups read now costs no call at all. Each WHEN is
-- 0013's IS DISTINCT FROM test of that table, and each function marks what 0013's UPDATE branch
-- marked for that row. Inserts and deletes stay statement-level (one mark per hour for a bulk
-- import or erasure); their branches in 0013's functions are left as they are.

-- The UTC hours of `instants` for `shop`, when the shop is ours (0013's nudge_dashboard_mark
-- without the JSON round trip).
CREATE FUNCTION nudge_dashboard_mark_hours(shops text[], instants timestamptz[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO dashboard_dirty_hour (shop, hour)
  SELECT DISTINCT m.shop, date_trunc('hour', m.at AT TIME ZONE 'UTC')
  FROM unnest(shops, instants) AS m(shop, at)
  JOIN shop s ON s.domain = m.shop
  WHERE m.at IS NOT NULL
  ON CONFLICT DO NOTHING
$$;

CREATE FUNCTION nudge_dashboard_dirty_message_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM nudge_dashboard_mark_hours(ARRAY[OLD.shop, OLD.shop, NEW.shop, NEW.shop], ARRAY[OLD.sent_at, OLD.due_at, NEW.sent_at, NEW.due_at]);
  RETURN NULL;
END $$;

-- `m.shop IN (OLD.shop, NEW.shop)` compares with parameters here, so it is an index condition
-- on scheduled_message(shop, shopper_id, status); 0013's join on two columns of the transition
-- tables was an OR the planner could only filter with, a scan of the shop's whole index.
CREATE FUNCTION nudge_dashboard_dirty_shopper_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE shops text[]; instants timestamptz[];
BEGIN
  SELECT array_agg(m.shop), array_agg(m.sent_at) INTO shops, instants
  FROM scheduled_message m WHERE m.shop IN (OLD.shop, NEW.shop) AND m.shopper_id = NEW.id AND m.status = 'sent';
  IF shops IS NOT NULL THEN PERFORM nudge_dashboard_mark_hours(shops, instants); END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION nudge_dashboard_dirty_link_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE shops text[]; instants timestamptz[];
BEGIN
  SELECT array_agg(m.shop), array_agg(m.sent_at) INTO shops, instants
  FROM scheduled_message m WHERE m.id IN (OLD.message_id, NEW.message_id);
  IF shops IS NOT NULL THEN PERFORM nudge_dashboard_mark_hours(shops, instants); END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION nudge_dashboard_dirty_attribution_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE shops text[]; instants timestamptz[];
BEGIN
  SELECT array_agg(t.shop), array_agg(t.at) INTO shops, instants FROM (
    SELECT m.shop, m.sent_at AS at FROM scheduled_message m WHERE m.id IN (OLD.message_id, NEW.message_id)
    UNION ALL
    SELECT o.shop, o.placed_at FROM "order" o WHERE o.id IN (OLD.order_id, NEW.order_id)) t;
  IF shops IS NOT NULL THEN PERFORM nudge_dashboard_mark_hours(shops, instants); END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION nudge_dashboard_dirty_order_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE marks jsonb;
BEGIN
  marks := nudge_dashboard_order_marks(jsonb_build_array(
    jsonb_build_object('shop', OLD.shop, 'shopper_id', OLD.shopper_id, 'checkout_token', OLD.checkout_token, 'placed_at', OLD.placed_at),
    jsonb_build_object('shop', NEW.shop, 'shopper_id', NEW.shopper_id, 'checkout_token', NEW.checkout_token, 'placed_at', NEW.placed_at)));
  IF marks IS NOT NULL THEN PERFORM nudge_dashboard_mark(marks); END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION nudge_dashboard_dirty_checkout_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE shops text[]; instants timestamptz[];
BEGIN
  SELECT array_agg(m.shop), array_agg(m.due_at) INTO shops, instants
  FROM scheduled_message m
  WHERE m.shop = NEW.shop AND m.shopper_id IN (OLD.shopper_id, NEW.shopper_id) AND m.status IN ('sent', 'skipped')
    AND m.checkout_token = NEW.token AND m.step = 1;
  IF shops IS NOT NULL THEN PERFORM nudge_dashboard_mark_hours(shops, instants); END IF;
  RETURN NULL;
END $$;

DROP TRIGGER scheduled_message_dashboard_update ON "scheduled_message";
CREATE TRIGGER scheduled_message_dashboard_update AFTER UPDATE ON "scheduled_message" FOR EACH ROW
  WHEN ((OLD.status IN ('sent', 'skipped') OR NEW.status IN ('sent', 'skipped'))
    AND (OLD.shop, OLD.shopper_id, OLD.flow, OLD.step, OLD.status, OLD.reason, OLD.sent_at, OLD.due_at, OLD.delivery_status, OLD.segments, OLD.checkout_token)
        IS DISTINCT FROM (NEW.shop, NEW.shopper_id, NEW.flow, NEW.step, NEW.status, NEW.reason, NEW.sent_at, NEW.due_at, NEW.delivery_status, NEW.segments, NEW.checkout_token))
  EXECUTE FUNCTION nudge_dashboard_dirty_message_row();

DROP TRIGGER shopper_dashboard_update ON "shopper";
CREATE TRIGGER shopper_dashboard_update AFTER UPDATE ON "shopper" FOR EACH ROW
  WHEN ((OLD.shop, OLD.stage) IS DISTINCT FROM (NEW.shop, NEW.stage))
  EXECUTE FUNCTION nudge_dashboard_dirty_shopper_row();

DROP TRIGGER short_link_dashboard_update ON "short_link";
CREATE TRIGGER short_link_dashboard_update AFTER UPDATE ON "short_link" FOR EACH ROW
  WHEN ((OLD.shop, OLD.message_id, OLD.clicks > 0) IS DISTINCT FROM (NEW.shop, NEW.message_id, NEW.clicks > 0))
  EXECUTE FUNCTION nudge_dashboard_dirty_link_row();

DROP TRIGGER attribution_dashboard_update ON "attribution";
CREATE TRIGGER attribution_dashboard_update AFTER UPDATE ON "attribution" FOR EACH ROW
  WHEN ((OLD.shop, OLD.message_id, OLD.order_id, OLD.recovered, OLD.revenue) IS DISTINCT FROM (NEW.shop, NEW.message_id, NEW.order_id, NEW.recovered, NEW.revenue))
  EXECUTE FUNCTION nudge_dashboard_dirty_attribution_row();

DROP TRIGGER order_dashboard_update ON "order";
CREATE TRIGGER order_dashboard_update AFTER UPDATE ON "order" FOR EACH ROW
  WHEN ((OLD.shop, OLD.shopper_id, OLD.checkout_token, OLD.placed_at, OLD.total_price) IS DISTINCT FROM (NEW.shop, NEW.shopper_id, NEW.checkout_token, NEW.placed_at, NEW.total_price))
  EXECUTE FUNCTION nudge_dashboard_dirty_order_row();

DROP TRIGGER checkout_dashboard_update ON "checkout";
CREATE TRIGGER checkout_dashboard_update AFTER UPDATE ON "checkout" FOR EACH ROW
  WHEN ((OLD.completed_at, OLD.shopper_id) IS DISTINCT FROM (NEW.completed_at, NEW.shopper_id))
  EXECUTE FUNCTION nudge_dashboard_dirty_checkout_row();
