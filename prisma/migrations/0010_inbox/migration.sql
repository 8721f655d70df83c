-- The merchant's inbox (issue #21, item 2): one conversation per shopper who has texted the
-- shop. The texts themselves stay where they are (journey_event sms_received for theirs,
-- scheduled_message and journey_event inbox_reply for ours); this row holds the state the
-- merchant changes: when the newest text came, read, done, and until when an inbound
-- question pauses the shopper's automated texts. See docs/decisions/022-inbox-and-keyword-signup.md.
-- CreateTable
CREATE TABLE "conversation" (
    "shop" TEXT NOT NULL,
    "shopper_id" UUID NOT NULL,
    "last_inbound_at" TIMESTAMPTZ(3) NOT NULL,
    "paused_until" TIMESTAMPTZ(3),
    "read_at" TIMESTAMPTZ(3),
    "done_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "conversation_pkey" PRIMARY KEY ("shop", "shopper_id")
);

-- CreateIndex
CREATE INDEX "conversation_shop_last_inbound_at_idx" ON "conversation"("shop", "last_inbound_at");
