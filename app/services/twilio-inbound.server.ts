import { z } from "zod";
import type { InboundWebhookApi } from "../adapters/twilio-inbound.server";
import type { SqlDriver } from "../db/sql-driver.server";
import { log } from "../lib/log.server";
import { describeInboundTarget, InboundConfigSchema, pointedAtNudge, repliesReachNudge, type InboundConfig } from "../twilio/inbound-webhook";
import type { TwilioCredentials } from "./twilio-credentials.server";

/**
 * shop.settings.twilioInbound: which sender Nudge pointed at /twilio/inbound, what it pointed
 * at before (put back on disconnect), what Twilio last said, and the last failure.
 */
const InboundRecordSchema = z.object({
  accountSid: z.string(),
  sid: z.string(),
  previous: InboundConfigSchema.nullable(),
  seen: z.object({ config: InboundConfigSchema, checkedAt: z.string() }).nullable(),
  problem: z.string().nullable(),
});
type InboundRecord = z.infer<typeof InboundRecordSchema>;

export interface InboundDeps {
  sql: SqlDriver;
  api: InboundWebhookApi;
  /** nudgeInboundUrl(SHOPIFY_APP_URL) */
  url: string;
  now: Date;
}

export type RepliesResult = { ok: true } | { ok: false; message: string };

/**
 * Points the sender's incoming-message URL at Nudge, remembering what was there (unless it
 * was already ours: then the remembered one stays). Without this, STOP, HELP, NPS and "Y"
 * replies to a shop's own number never reach us (issue #16, item 5).
 */
export async function pointRepliesAtNudge(deps: InboundDeps, shop: string, credentials: TwilioCredentials): Promise<RepliesResult> {
  const stored = await readRecord(deps.sql, shop);
  const current = await deps.api.read(credentials);
  if (!current.ok) return fail(deps, shop, credentials, stored, null, current.message);
  const sameSender = stored?.accountSid === credentials.accountSid && stored.sid === current.config.sid;
  const kept = sameSender ? stored.previous : null;
  const previous = repliesReachNudge(current.config, deps.url) ? kept : current.config;
  if (repliesReachNudge(current.config, deps.url)) {
    await writeRecord(deps.sql, shop, { accountSid: credentials.accountSid, sid: current.config.sid, previous, seen: seen(deps, current.config), problem: null });
    return { ok: true };
  }
  const written = await deps.api.write(credentials, pointedAtNudge(current.config, deps.url));
  if (!written.ok) return fail(deps, shop, credentials, { accountSid: credentials.accountSid, sid: current.config.sid, previous: kept, seen: null, problem: null }, current.config, written.message);
  await writeRecord(deps.sql, shop, { accountSid: credentials.accountSid, sid: written.config.sid, previous, seen: seen(deps, written.config), problem: null });
  log.info("Twilio replies pointed at Nudge", { shop, sender: written.config.sid, previous: previous?.url ?? null });
  return { ok: true };
}

/** Asks Twilio again where replies go ("Check again" on the settings page). */
export async function checkReplies(deps: InboundDeps, shop: string, credentials: TwilioCredentials): Promise<RepliesResult> {
  const stored = await readRecord(deps.sql, shop);
  const current = await deps.api.read(credentials);
  if (!current.ok) return fail(deps, shop, credentials, stored, null, current.message);
  const same = stored?.accountSid === credentials.accountSid && stored.sid === current.config.sid;
  await writeRecord(deps.sql, shop, {
    accountSid: credentials.accountSid,
    sid: current.config.sid,
    previous: same ? stored.previous : null,
    seen: seen(deps, current.config),
    problem: null,
  });
  return { ok: true };
}

/**
 * Puts back what the sender pointed at before Nudge, then forgets the record. A failure is
 * returned (the merchant must fix it in the Twilio Console) but forgets the record too: the
 * account is being disconnected either way.
 */
export async function restoreReplies(deps: Omit<InboundDeps, "now" | "url">, shop: string, credentials: TwilioCredentials | null): Promise<RepliesResult> {
  const stored = await readRecord(deps.sql, shop);
  await deps.sql.query(`UPDATE shop SET settings = settings - 'twilioInbound', updated_at = now() WHERE domain = $1`, [shop]);
  if (!stored?.previous || !credentials || credentials.accountSid !== stored.accountSid) return { ok: true };
  const written = await deps.api.write(credentials, stored.previous);
  if (written.ok) {
    log.info("Twilio replies pointed back", { shop, sender: stored.sid, url: stored.previous.url });
    return { ok: true };
  }
  log.warn("Couldn't point Twilio replies back", { shop, sender: stored.sid, message: written.message });
  const where = describeInboundTarget(stored.previous);
  return { ok: false, message: `Couldn't give ${stored.sid} its previous incoming-message URL back (${where}): ${written.message} Set it in the Twilio Console.` };
}

export type RepliesState =
  | { state: "reach_nudge"; sender: string; checkedAt: string }
  | { state: "elsewhere"; sender: string; where: string; checkedAt: string; problem: string | null }
  | { state: "unknown"; problem: string | null };

/** What the settings page shows about replies, from the stored record (no Twilio call). */
export function describeReplies(settings: unknown, url: string, accountSid: string): RepliesState {
  const raw = typeof settings === "object" && settings !== null ? (settings as Record<string, unknown>).twilioInbound : undefined;
  const record = InboundRecordSchema.safeParse(raw);
  if (!record.success || record.data.accountSid !== accountSid) return { state: "unknown", problem: null };
  const { seen: last, problem, sid } = record.data;
  if (!last) return { state: "unknown", problem };
  if (repliesReachNudge(last.config, url) && !problem) return { state: "reach_nudge", sender: sid, checkedAt: last.checkedAt };
  return { state: "elsewhere", sender: sid, where: describeInboundTarget(last.config), checkedAt: last.checkedAt, problem };
}

async function fail(deps: InboundDeps, shop: string, credentials: TwilioCredentials, stored: InboundRecord | null, current: InboundConfig | null, message: string) {
  log.warn("Couldn't point Twilio replies at Nudge", { shop, accountSid: credentials.accountSid, message });
  const base = stored?.accountSid === credentials.accountSid ? stored : null;
  await writeRecord(deps.sql, shop, {
    accountSid: credentials.accountSid,
    sid: current?.sid ?? base?.sid ?? credentials.messagingServiceSid ?? credentials.fromNumber ?? "",
    previous: base?.previous ?? null,
    seen: current ? seen(deps, current) : (base?.seen ?? null),
    problem: message,
  });
  return { ok: false as const, message };
}

function seen(deps: InboundDeps, config: InboundConfig) {
  return { config, checkedAt: deps.now.toISOString() };
}

async function readRecord(sql: SqlDriver, shop: string): Promise<InboundRecord | null> {
  const [row] = await sql.query<{ record: unknown }>(`SELECT settings->'twilioInbound' AS record FROM shop WHERE domain = $1`, [shop]);
  const parsed = InboundRecordSchema.safeParse(row?.record);
  return parsed.success ? parsed.data : null;
}

async function writeRecord(sql: SqlDriver, shop: string, record: InboundRecord): Promise<void> {
  await sql.query(`UPDATE shop SET settings = jsonb_set(settings, '{twilioInbound}', $2::jsonb), updated_at = now() WHERE domain = $1`, [shop, JSON.stringify(record)]);
}
