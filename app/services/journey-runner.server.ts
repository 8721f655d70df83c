import type { SqlTx } from "../db/sql-driver.server";
import { combineWrites, valuesList, type Statement } from "../db/sql-values";
import { consentStatus, transition, type Command, type ConsentEntry, type JourneyEvent, type JourneySettings, type Stage } from "../journey";
import { readJourneyState } from "../journey/state-schema";
import { outboxStatements } from "./outbox.server";
import type { LockedShopper } from "./shoppers.server";
import { readShopSettings } from "./shops.server";

export interface JourneyRun {
  shop: string;
  /** Locked by the caller (upsertShopper or lockShopper) in this transaction. */
  shopper: LockedShopper;
  events: JourneyEvent[];
  now: Date;
  settings: JourneySettings;
  /** The webhook the events came from, kept with events and consent evidence. */
  webhookId?: string;
  /** How consent was collected, stored with any consent entry these events add. */
  evidence?: ConsentEvidence;
  /** The text that made the change, stored the same way. */
  reply?: ReplyEvidence;
}

export interface ConsentEvidence {
  ip: string | null;
  userAgent: string | null;
  pageUrl: string | null;
  disclosureText: string | null;
  disclosureVersion: string | null;
}

/** A consent change made by a text: the text, the rule that read it, and its Twilio SID (ADR 020). */
interface ReplyEvidence {
  messageText: string;
  matchedRule: string | null;
  messageSid: string | null;
}

export interface JourneyRunResult {
  stage: Stage;
  commands: Command[];
}

/**
 * Feeds events to the journey engine for one shopper inside the caller's transaction: runs
 * the pure transition, stores the new state, logs the events, records new consent entries as
 * evidence, and applies the commands to the outbox: usually one statement for all of it.
 */
export async function runJourney(tx: SqlTx, run: JourneyRun): Promise<JourneyRunResult> {
  const { shopper } = run;
  const before = readJourneyState(shopper.state, shopper.country);
  let state = before;
  let stage: Stage = "awareness";
  const commands: Command[] = [];
  for (const event of run.events) {
    const result = transition(state, event, run.now.getTime(), run.settings);
    state = result.state;
    stage = result.stage;
    commands.push(...result.commands);
  }

  const consent = consentStatus(state.consentLog);
  const lastOrderAt = Math.max(0, ...Object.values(state.orders).map((o) => o.at));
  const writes: Statement[] = [
    {
      sql: `UPDATE shopper SET state = $3::jsonb, stage = $4, order_count = $6, last_order_at = $7, updated_at = now(),
              -- a sign-up waiting for its confirming "Y" stays pending until consent says otherwise
              consent = CASE WHEN $5 = 'none' AND consent = 'pending' THEN 'pending' ELSE $5 END
            WHERE shop = $1 AND id = $2`,
      params: [
        run.shop,
        shopper.id,
        JSON.stringify(state),
        stage,
        consent.granted ? "granted" : state.consentLog.length > 0 ? "revoked" : "none",
        state.orderCount,
        lastOrderAt > 0 ? new Date(lastOrderAt) : null,
      ],
    },
  ];

  if (run.events.length > 0) {
    const events = valuesList(
      run.events.map(({ type, at, ...data }) => [run.shop, shopper.id, type, new Date(at), JSON.stringify(data), run.webhookId ?? null]),
      ["", "", "", "", "::jsonb", ""],
    );
    writes.push({ sql: `INSERT INTO journey_event (shop, shopper_id, type, occurred_at, data, webhook_id) VALUES ${events.sql}`, params: events.params });
  }

  const added = newEntries(before.consentLog, state.consentLog);
  if (added.length > 0 && shopper.phone) {
    const ev = run.evidence;
    const reply = run.reply;
    const rows = valuesList(
      added.map((e) => [
        run.shop,
        shopper.id,
        shopper.phone,
        e.kind === "in" ? "granted" : "revoked",
        e.source,
        new Date(e.at),
        run.webhookId ?? null,
        ev?.ip ?? null,
        ev?.userAgent ?? null,
        ev?.pageUrl ?? null,
        ev?.disclosureText ?? null,
        ev?.disclosureVersion ?? null,
        reply?.messageText ?? null,
        reply?.matchedRule ?? null,
        reply?.messageSid ?? null,
      ]),
    );
    writes.push({
      sql: `INSERT INTO consent (shop, shopper_id, phone, status, source, collected_at, webhook_id, ip, user_agent, page_url, disclosure_text, disclosure_version,
                                 message_text, matched_rule, message_sid)
            VALUES ${rows.sql}`,
      params: rows.params,
    });
  }

  // The writes above touch a table each, and so does the first outbox statement: one round
  // trip for all of them. Later outbox statements may touch the rows of earlier ones, so they
  // follow in order.
  const [firstOutbox, ...laterOutbox] = outboxStatements(run.shop, shopper.id, commands);
  const combined = combineWrites(firstOutbox ? [...writes, firstOutbox] : writes);
  await tx.query(combined.sql, combined.params);
  for (const statement of laterOutbox) await tx.query(statement.sql, statement.params);
  return { stage, commands };
}

function newEntries(before: ConsentEntry[], after: ConsentEntry[]): ConsentEntry[] {
  const seen = new Set(before.map((e) => `${e.at}|${e.kind}|${e.source}`));
  return after.filter((e) => !seen.has(`${e.at}|${e.kind}|${e.source}`));
}

/** runJourney for a locked shopper with the shop's current journey settings. */
export async function runJourneyForShopper(
  tx: SqlTx,
  shop: string,
  shopper: LockedShopper,
  events: JourneyEvent[],
  now: Date,
  extra: Pick<JourneyRun, "evidence" | "webhookId" | "reply"> = {},
): Promise<JourneyRunResult> {
  const [row] = await tx.query<{ settings: unknown }>("SELECT settings FROM shop WHERE domain = $1", [shop]);
  return runJourney(tx, { shop, shopper, events, now, settings: readShopSettings(shop, row?.settings).journey, ...extra });
}
