-- A consent change made by a text keeps the text, the rule that read it, and the message's
-- Twilio SID beside the time (collected_at): the evidence of an opt-out in a shopper's own
-- words (issue #21, item 1). See docs/decisions/020-free-text-opt-outs.md.
-- AlterTable
ALTER TABLE "consent" ADD COLUMN "message_text" TEXT,
ADD COLUMN "matched_rule" TEXT,
ADD COLUMN "message_sid" TEXT;
