-- Acknowledge webhooks first, ingest after (issue #23, item 1): a verified webhook is written
-- here and answered 200; a worker claims rows with FOR UPDATE SKIP LOCKED and runs ingest on
-- them. See docs/decisions/024-acknowledge-webhooks-first.md.
-- CreateTable
CREATE TABLE "webhook_inbox" (
    "webhook_id" TEXT NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "body" TEXT,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "outcome" TEXT,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "available_at" TIMESTAMPTZ(3) NOT NULL,
    "claimed_by" TEXT,
    "processed_at" TIMESTAMPTZ(3),

    CONSTRAINT "webhook_inbox_pkey" PRIMARY KEY ("webhook_id")
);

-- CreateIndex
CREATE INDEX "webhook_inbox_state_received_at_idx" ON "webhook_inbox"("state", "received_at");

-- CreateIndex
CREATE INDEX "webhook_inbox_shop_state_received_at_idx" ON "webhook_inbox"("shop", "state", "received_at");


-- Wake the worker when a webhook is written (the dispatcher's pattern, migration 0009): one
-- NOTIFY per INSERT statement that wrote a row, sent at commit
-- (https://www.postgresql.org/docs/current/sql-notify.html). A redelivery that inserted nothing
-- (ON CONFLICT DO NOTHING) has an empty transition table and wakes no one.
CREATE FUNCTION nudge_notify_inbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM new_rows) THEN
    PERFORM pg_notify('nudge_inbox', '');
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER webhook_inbox_notify
  AFTER INSERT ON "webhook_inbox"
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION nudge_notify_inbox();
