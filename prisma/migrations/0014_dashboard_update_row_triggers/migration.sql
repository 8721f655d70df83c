-- Dashboard rollups: most updates mark through row-level triggers with WHEN (issue #23, ingest
-- cost; docs/decisions/010-dashboard-queries.md, amendment of 7 Dec 2026). 0013's AFTER UPDATE
-- triggers were statement-level with transition tables, so they ran their PL/pgSQL and a query
-- on every UPDATE and every INSERT … ON CONFLICT DO UPDATE, even one that changed no row or only
-- columns the rollups don't read: six of a checkout webhook's nine trigger calls, which marked
-- nothing (measured with track_functions = all). A transition table forbids a column list
-- (UPDATE OF) and a statement-level trigger has no rows for WHEN
-- (https://www.postgresql.org/docs/current/sql-createtrigger.html), but a row-level trigger's
-- WHEN is checked by the executor before any function is called and captures no transition
-- table: an update that changes nothing the rollups read costs no call at all. Each WHEN is
-- 0013's IS DISTINCT FROM test of that table, and each function marks what 0013's UPDATE branch
-- marked for that row.
-- Left statement-level: inserts and deletes (one mark per hour for a bulk import or erasure),
-- and the texts' updates: the dispatcher records a chunk of sends in one UPDATE
-- (app/dispatch/record-results.server.ts), one call for the chunk where a row-level trigger
-- makes one per text.

-- Each function marks in one statement (the plan PL/pgSQL keeps for the session; a LANGUAGE sql
-- helper is planned again on every call, which cost milliseconds per row here).
-- `m.shop IN (OLD.shop, NEW.shop)` compares with parameters here, so it is an index condition
-- on scheduled_message(shop, shopper_id, status); 0013's join on two columns of the transition
-- tables was an OR the planner could only filter with, a scan of the shop's whole index.
CREATE FUNCTION nudge_dashboard_dirty_shopper_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO dashboard_dirty_hour (shop, hour)
  SELECT DISTINCT m.shop, date_trunc('hour', m.sent_at AT TIME ZONE 'UTC')
  FROM scheduled_message m JOIN shop s ON s.domain = m.shop
  WHERE m.shop IN (OLD.shop, NEW.shop) AND m.shopper_id = NEW.id AND m.status = 'sent' AND m.sent_at IS NOT NULL
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE FUNCTION nudge_dashboard_dirty_link_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO dashboard_dirty_hour (shop, hour)
  SELECT DISTINCT m.shop, date_trunc('hour', m.sent_at AT TIME ZONE 'UTC')
  FROM scheduled_message m JOIN shop s ON s.domain = m.shop
  WHERE m.id IN (OLD.message_id, NEW.message_id) AND m.sent_at IS NOT NULL
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE FUNCTION nudge_dashboard_dirty_attribution_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO dashboard_dirty_hour (shop, hour)
  SELECT DISTINCT t.shop, date_trunc('hour', t.at AT TIME ZONE 'UTC')
  FROM (SELECT m.shop, m.sent_at AS at FROM scheduled_message m WHERE m.id IN (OLD.message_id, NEW.message_id)
        UNION ALL
        SELECT o.shop, o.placed_at FROM "order" o WHERE o.id IN (OLD.order_id, NEW.order_id)) t
  JOIN shop s ON s.domain = t.shop
  WHERE t.at IS NOT NULL
  ON CONFLICT DO NOTHING;
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
BEGIN
  INSERT INTO dashboard_dirty_hour (shop, hour)
  SELECT DISTINCT m.shop, date_trunc('hour', m.due_at AT TIME ZONE 'UTC')
  FROM scheduled_message m JOIN shop s ON s.domain = m.shop
  WHERE m.shop = NEW.shop AND m.shopper_id IN (OLD.shopper_id, NEW.shopper_id) AND m.status IN ('sent', 'skipped')
    AND m.checkout_token = NEW.token AND m.step = 1
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

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
