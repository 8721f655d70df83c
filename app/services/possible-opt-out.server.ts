import { z } from "zod";
import { queueConsentSync } from "../consent-sync/queue.server";
import type { SqlDriver } from "../db/sql-driver.server";
import { runJourneyForShopper } from "./journey-runner.server";
import { lockShopper } from "./shoppers.server";

/**
 * A reply that may be an opt-out ("can you stop by the store?") is not one: it is kept with the
 * reply (journey_event sms_received, data.possibleOptOut) for the merchant to confirm with one
 * click. See docs/decisions/020-free-text-opt-outs.md.
 */
const PossibleOptOutSchema = z.object({ rule: z.string(), confirmedAt: z.string().nullable() });
const FlaggedReplySchema = z.object({ body: z.string(), messageSid: z.string().nullish(), possibleOptOut: PossibleOptOutSchema });

/** The flag stored with a reply that may be an opt-out, or nothing. */
export function possibleOptOutFlag(rule: string | null): { possibleOptOut?: z.infer<typeof PossibleOptOutSchema> } {
  return rule ? { possibleOptOut: { rule, confirmedAt: null } } : {};
}

export interface PossibleOptOut {
  /** The reply's journey_event id: what confirmPossibleOptOut takes. */
  eventId: string;
  shopperId: string;
  phone: string | null;
  /** The shopper's consent now ("granted", "revoked", …): an inbox can tell one already out. */
  consent: string;
  body: string;
  rule: string;
  receivedAt: Date;
}

/** A shop's replies flagged as possible opt-outs and not yet confirmed, newest first. */
export async function listPossibleOptOuts(sql: SqlDriver, shop: string, limit = 50): Promise<PossibleOptOut[]> {
  const rows = await sql.query<{ id: string; shopper_id: string; phone: string | null; consent: string; occurred_at: Date; data: unknown }>(
    `SELECT e.id::text AS id, e.shopper_id, s.phone, s.consent, e.occurred_at, e.data
     FROM journey_event e JOIN shopper s ON s.shop = e.shop AND s.id = e.shopper_id
     WHERE e.shop = $1 AND e.type = 'sms_received' AND e.data->'possibleOptOut'->>'confirmedAt' IS NULL AND e.data ? 'possibleOptOut'
     ORDER BY e.occurred_at DESC, e.id DESC LIMIT $2`,
    [shop, limit],
  );
  return rows.flatMap((row) => {
    const data = FlaggedReplySchema.safeParse(row.data);
    if (!data.success) return [];
    return [{ eventId: row.id, shopperId: row.shopper_id, phone: row.phone, consent: row.consent, body: data.data.body, rule: data.data.possibleOptOut.rule, receivedAt: row.occurred_at }];
  });
}

export type ConfirmOutcome = "opted_out" | "already_confirmed" | "not_found";

/**
 * The merchant confirms a possible opt-out: the shopper is opted out as of the reply's time (the
 * revocation was made then), everything pending is cancelled, the reply and the rule
 * ("merchant_confirmed:<rule>") are stored as the evidence, and Shopify is told through the
 * consent sync queued in the same transaction. No confirmation text goes to the shopper: the
 * FCC allows one only within five minutes of the request (47 CFR § 64.1200(a)(12)).
 */
export async function confirmPossibleOptOut(sql: SqlDriver, shop: string, eventId: string, now: Date): Promise<ConfirmOutcome> {
  if (!/^[1-9][0-9]{0,17}$/.test(eventId)) return "not_found";
  return sql.transaction(async (tx) => {
    const [event] = await tx.query<{ shopper_id: string; occurred_at: Date; data: unknown }>(
      `SELECT shopper_id, occurred_at, data FROM journey_event
       WHERE shop = $1 AND id = $2::bigint AND type = 'sms_received' AND data ? 'possibleOptOut' FOR UPDATE`,
      [shop, eventId],
    );
    const data = FlaggedReplySchema.safeParse(event?.data);
    if (!event || !data.success) return "not_found";
    if (data.data.possibleOptOut.confirmedAt) return "already_confirmed";
    const shopper = await lockShopper(tx, shop, event.shopper_id);
    if (!shopper) return "not_found";
    const at = event.occurred_at;
    await runJourneyForShopper(tx, shop, shopper, [{ type: "opted_out", at: at.getTime(), source: "sms" }], now, {
      reply: { messageText: data.data.body, matchedRule: `merchant_confirmed:${data.data.possibleOptOut.rule}`, messageSid: data.data.messageSid ?? null },
    });
    await tx.query(`UPDATE journey_event SET data = jsonb_set(data, '{possibleOptOut,confirmedAt}', to_jsonb($3::text)) WHERE shop = $1 AND id = $2::bigint`, [shop, eventId, now.toISOString()]);
    await queueConsentSync(tx, shop, shopper.id, { state: "UNSUBSCRIBED", optInLevel: null, at });
    return "opted_out";
  });
}
