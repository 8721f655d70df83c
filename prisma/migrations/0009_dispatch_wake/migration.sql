-- Wake the dispatcher when a text is written that falls due before its next poll (issue #18,
-- item 3): one NOTIFY per statement, sent at commit and folded with others of the same
-- transaction (https://www.postgresql.org/docs/current/sql-notify.html). A statement-level
-- trigger with a transition table costs one check per INSERT, however many rows it writes
-- (https://www.postgresql.org/docs/current/sql-createtrigger.html).
CREATE FUNCTION nudge_notify_due() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM new_rows WHERE status = 'scheduled' AND due_at <= now() + interval '1 second') THEN
    PERFORM pg_notify('nudge_due', '');
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER scheduled_message_notify_due
  AFTER INSERT ON "scheduled_message"
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION nudge_notify_due();
