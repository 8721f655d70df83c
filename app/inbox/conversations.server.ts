import { z } from "zod";
import type { SqlDriver } from "../db/sql-driver.server";

/**
 * The merchant's inbox (issue #21, item 2): one conversation per shopper who has texted the
 * shop, newest first. Their texts are journey_event sms_received rows; ours are the sent
 * scheduled_message rows and the merchant's replies (journey_event inbox_reply). The
 * conversation row holds read, done and the automated-text pause. Every query is scoped by shop.
 */
export interface ConversationSummary {
  shopperId: string;
  phone: string | null;
  firstName: string | null;
  consent: string;
  lastInboundAt: Date;
  lastText: string | null;
  unread: boolean;
  done: boolean;
  pausedUntil: Date | null;
  /** Replies flagged as possible opt-outs, not yet confirmed. */
  possibleOptOuts: number;
}

interface SummaryRow {
  shopper_id: string;
  phone: string | null;
  first_name: string | null;
  consent: string;
  last_inbound_at: Date;
  read_at: Date | null;
  done_at: Date | null;
  paused_until: Date | null;
  last_text: string | null;
  possible_opt_outs: number;
}

const UNREAD = "(c.read_at IS NULL OR c.read_at < c.last_inbound_at)";

/** A shop's conversations, newest text first. */
export async function listConversations(sql: SqlDriver, shop: string, limit = 100): Promise<ConversationSummary[]> {
  const rows = await sql.query<SummaryRow>(
    `SELECT c.shopper_id, s.phone, s.first_name, s.consent, c.last_inbound_at, c.read_at, c.done_at, c.paused_until,
            (SELECT e.data->>'body' FROM journey_event e WHERE e.shop = c.shop AND e.shopper_id = c.shopper_id AND e.type = 'sms_received'
             ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1) AS last_text,
            (SELECT count(*)::int FROM journey_event e WHERE e.shop = c.shop AND e.shopper_id = c.shopper_id AND e.type = 'sms_received'
               AND e.data ? 'possibleOptOut' AND e.data->'possibleOptOut'->>'confirmedAt' IS NULL) AS possible_opt_outs
     FROM conversation c JOIN shopper s ON s.shop = c.shop AND s.id = c.shopper_id
     WHERE c.shop = $1
     ORDER BY c.last_inbound_at DESC, c.shopper_id LIMIT $2`,
    [shop, limit],
  );
  return rows.map(summary);
}

/** How many conversations have a text the merchant hasn't opened: the count beside "Inbox". */
export async function countUnread(sql: SqlDriver, shop: string): Promise<number> {
  const [row] = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM conversation c WHERE c.shop = $1 AND ${UNREAD}`, [shop]);
  return row?.n ?? 0;
}

function summary(r: SummaryRow): ConversationSummary {
  const last = new Date(r.last_inbound_at).getTime();
  return {
    shopperId: r.shopper_id,
    phone: r.phone,
    firstName: r.first_name,
    consent: r.consent,
    lastInboundAt: new Date(r.last_inbound_at),
    lastText: r.last_text,
    unread: !r.read_at || new Date(r.read_at).getTime() < last,
    // A text after "done" reopens the conversation.
    done: !!r.done_at && new Date(r.done_at).getTime() >= last,
    pausedUntil: r.paused_until ? new Date(r.paused_until) : null,
    possibleOptOuts: r.possible_opt_outs,
  };
}

interface ThreadText {
  at: Date;
  direction: "in" | "out";
  body: string;
  /** Ours: the flow that sent it, or "inbox" for the merchant's reply. */
  source: string | null;
  /** Theirs, when flagged: the journey_event id confirmPossibleOptOut takes, and the rule. */
  possibleOptOut: { eventId: string; rule: string; confirmed: boolean } | null;
}

export interface Thread {
  conversation: ConversationSummary;
  texts: ThreadText[];
}

const ShopperIdSchema = z.string().uuid();
const EventDataSchema = z.object({
  body: z.string().catch(""),
  possibleOptOut: z.object({ rule: z.string(), confirmedAt: z.string().nullable() }).optional().catch(undefined),
});

/** One conversation with every text both ways, oldest first (the newest 200); null when there is none. */
export async function readThread(sql: SqlDriver, shop: string, shopperId: string): Promise<Thread | null> {
  if (!ShopperIdSchema.safeParse(shopperId).success) return null;
  const [head] = await sql.query<SummaryRow>(
    `SELECT c.shopper_id, s.phone, s.first_name, s.consent, c.last_inbound_at, c.read_at, c.done_at, c.paused_until, NULL AS last_text, 0 AS possible_opt_outs
     FROM conversation c JOIN shopper s ON s.shop = c.shop AND s.id = c.shopper_id WHERE c.shop = $1 AND c.shopper_id = $2`,
    [shop, shopperId],
  );
  if (!head) return null;
  const rows = await sql.query<{ id: string; at: Date; kind: string; body: string | null; source: string | null; data: unknown }>(
    `SELECT * FROM (
       SELECT e.id::text AS id, e.occurred_at AS at, e.type AS kind, NULL AS body, NULL AS source, e.data
       FROM journey_event e WHERE e.shop = $1 AND e.shopper_id = $2 AND e.type IN ('sms_received', 'inbox_reply')
       UNION ALL
       SELECT m.id::text, m.sent_at, 'sent', m.body, m.flow, NULL
       FROM scheduled_message m WHERE m.shop = $1 AND m.shopper_id = $2 AND m.status = 'sent' AND m.sent_at IS NOT NULL AND m.body IS NOT NULL
     ) t ORDER BY at DESC, id DESC LIMIT 200`,
    [shop, shopperId],
  );
  const texts = rows.reverse().map((r): ThreadText => {
    if (r.kind === "sent") return { at: new Date(r.at), direction: "out", body: r.body ?? "", source: r.source, possibleOptOut: null };
    const data = EventDataSchema.parse(r.data ?? {});
    if (r.kind === "inbox_reply") return { at: new Date(r.at), direction: "out", body: data.body, source: "inbox", possibleOptOut: null };
    const flag = data.possibleOptOut;
    return {
      at: new Date(r.at),
      direction: "in",
      body: data.body,
      source: null,
      possibleOptOut: flag ? { eventId: r.id, rule: flag.rule, confirmed: flag.confirmedAt !== null } : null,
    };
  });
  return { conversation: summary(head), texts };
}

/** The merchant opened the conversation. */
export async function markConversationRead(sql: SqlDriver, shop: string, shopperId: string, now: Date): Promise<void> {
  if (!ShopperIdSchema.safeParse(shopperId).success) return;
  await sql.query("UPDATE conversation SET read_at = $3, updated_at = now() WHERE shop = $1 AND shopper_id = $2", [shop, shopperId, now]);
}

/**
 * The merchant marks the conversation done: read, and the shopper's automated texts resume
 * now rather than at the end of the pause (the question is answered). False when there is none.
 */
export async function markConversationDone(sql: SqlDriver, shop: string, shopperId: string, now: Date): Promise<boolean> {
  if (!ShopperIdSchema.safeParse(shopperId).success) return false;
  const rows = await sql.query(
    `UPDATE conversation SET done_at = $3, read_at = $3, paused_until = CASE WHEN paused_until > $3 THEN $3 ELSE paused_until END, updated_at = now()
     WHERE shop = $1 AND shopper_id = $2 RETURNING shopper_id`,
    [shop, shopperId, now],
  );
  return rows.length > 0;
}
