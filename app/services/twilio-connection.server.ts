import { z } from "zod";
import type { TwilioAccountCheck } from "../adapters/twilio-account.server";
import type { SqlDriver } from "../db/sql-driver.server";
import { fieldErrorsFrom } from "../lib/form-errors";
import { log } from "../lib/log.server";
import { normalizePhone } from "../lib/phone";
import type { RepliesResult } from "./twilio-inbound.server";
import {
  describeTwilioCredentials,
  hasStoredTwilioCredentials,
  readTwilioCredentials,
  removeTwilioCredentials,
  saveTwilioCredentials,
  TwilioCredentialsSchema,
  type TwilioCredentials,
} from "./twilio-credentials.server";

/**
 * The "Twilio account" form. The sender is one field: a Messaging Service SID (MG…) or a
 * phone number with its country code. An empty token means "keep the stored one".
 */
const TwilioAccountFormSchema = z.object({
  accountSid: z
    .string()
    .trim()
    .regex(/^AC[0-9a-fA-F]{32}$/, "The Account SID starts with AC followed by 32 letters and digits (Twilio Console → Account info)"),
  authToken: z
    .string()
    .trim()
    .refine((t) => t === "" || /^\S{16,128}$/.test(t), "The Auth Token is 32 letters and digits (Twilio Console → Account info)")
    .default(""),
  sender: z
    .string()
    .trim()
    .transform((raw, ctx) => {
      if (/^MG[0-9a-fA-F]{32}$/.test(raw)) return { messagingServiceSid: raw };
      const phone = raw.startsWith("+") ? normalizePhone(raw) : null;
      if (phone) return { fromNumber: phone.e164 };
      ctx.addIssue({ code: "custom", message: "Enter a Messaging Service SID (MG…) or a phone number with its country code, like +14155550100" });
      return z.NEVER;
    }),
});

type FieldErrors = Partial<Record<"accountSid" | "authToken" | "sender", string>>;

export type ConnectResult =
  /** replies: whether the sender's incoming-message URL now points at Nudge (the account is stored either way). */
  | { ok: true; friendlyName: string; replies: RepliesResult }
  /** invalid: the form or the credentials (fix and resend); upstream: Twilio unreachable or failing (retry). */
  | { ok: false; problem: "invalid" | "upstream"; errors: FieldErrors; message: string | null };

export interface ConnectDeps {
  sql: SqlDriver;
  /** NUDGE_ENCRYPTION_KEY; null when the app has none (then no own account can be stored). */
  key: Buffer | null;
  check: (credentials: TwilioCredentials) => Promise<TwilioAccountCheck>;
  /** Points the sender's replies at /twilio/inbound (app/services/twilio-inbound.server.ts). */
  pointReplies?: (credentials: TwilioCredentials) => Promise<RepliesResult>;
  /** Gives the sender being replaced its previous incoming-message URL back. */
  restoreReplies?: (credentials: TwilioCredentials | null) => Promise<RepliesResult>;
}

/**
 * Validates the form, proves the credentials with a read-only call to Twilio, and only then
 * stores them (token sealed). Any failure stores nothing, so the shop keeps what it had.
 */
export async function connectTwilioAccount(deps: ConnectDeps, shop: string, input: Record<string, unknown>): Promise<ConnectResult> {
  const parsed = TwilioAccountFormSchema.safeParse(input);
  if (!parsed.success) return invalid(fieldErrorsFrom(parsed.error), null);
  if (!deps.key) {
    return invalid({}, "This app has no NUDGE_ENCRYPTION_KEY, so it can't store an auth token safely. Ask whoever runs Nudge to set one.");
  }
  const form = parsed.data;
  const authToken = form.authToken || (await storedTokenFor(deps, shop, form.accountSid));
  if (!authToken) return invalid({ authToken: "Enter the Auth Token for this account" }, null);
  const credentials = TwilioCredentialsSchema.parse({ accountSid: form.accountSid, authToken, ...form.sender });

  const check = await deps.check(credentials);
  if (!check.ok) {
    log.warn("Twilio credentials check failed", { shop, accountSid: credentials.accountSid, reason: check.reason, code: check.code });
    switch (check.reason) {
      case "rejected":
        return invalid({ authToken: "Check the Account SID and Auth Token" }, "Twilio rejected these credentials (error 20003). Nothing was saved.");
      case "sender_not_found":
        return invalid({ sender: check.message }, null);
      case "account_inactive":
        return invalid({ accountSid: check.message }, null);
      case "unreachable":
        return { ok: false, problem: "upstream", errors: {}, message: "Couldn't reach Twilio, so nothing was saved. Try again in a minute." };
      case "twilio_error":
        return { ok: false, problem: "upstream", errors: {}, message: `${check.message} Nothing was saved.` };
    }
  }
  const before = await storedTwilioCredentials(deps.sql, shop, deps.key);
  await saveTwilioCredentials(deps.sql, shop, credentials, deps.key);
  // A different sender replaces the old one: the old one gets back what it pointed at before.
  if (before && deps.restoreReplies && senderOf(before) !== senderOf(credentials)) await deps.restoreReplies(before);
  log.info("Twilio account connected", { shop, accountSid: credentials.accountSid });
  // After the save: a failure here is shown with a retry, and the checked account stays stored.
  const replies = deps.pointReplies ? await deps.pointReplies(credentials) : ({ ok: true } as const);
  return { ok: true, friendlyName: check.friendlyName, replies };
}

/** The shop's own stored credentials, if they can be opened with this key. */
export async function storedTwilioCredentials(sql: SqlDriver, shop: string, key: Buffer | null): Promise<TwilioCredentials | null> {
  const [row] = await sql.query<{ settings: unknown }>(`SELECT settings FROM shop WHERE domain = $1`, [shop]);
  return readTwilioCredentials(row?.settings, key);
}

/**
 * Removes the shop's account, after `restoreReplies` gave its sender back the incoming-message
 * URL it had before Nudge (its answer is passed on: a failure still disconnects).
 */
export async function disconnectTwilioAccount(
  sql: SqlDriver,
  shop: string,
  restoreReplies?: (credentials: TwilioCredentials | null) => Promise<RepliesResult>,
  key: Buffer | null = null,
): Promise<RepliesResult> {
  const replies = restoreReplies ? await restoreReplies(await storedTwilioCredentials(sql, shop, key)) : ({ ok: true } as const);
  await removeTwilioCredentials(sql, shop);
  log.info("Twilio account disconnected", { shop });
  return replies;
}

export type TwilioConnection =
  { state: "own"; accountSid: string; sender: string | null; authToken: string } | { state: "app" | "none"; /** an own account is stored but can't be opened with this key */ unreadable: boolean };

/** What the settings page shows: whose account sends, never the token beyond its last four. */
export function describeTwilioConnection(settings: unknown, deps: { key: Buffer | null; appAccount: boolean }): TwilioConnection {
  const own = describeTwilioCredentials(readTwilioCredentials(settings, deps.key));
  if (own) return { state: "own", ...own };
  return { state: deps.appAccount ? "app" : "none", unreadable: hasStoredTwilioCredentials(settings) };
}

/** The stored token, reused when the merchant re-saves the same account without retyping it. */
async function storedTokenFor(deps: ConnectDeps, shop: string, accountSid: string): Promise<string | null> {
  const stored = await storedTwilioCredentials(deps.sql, shop, deps.key);
  return stored?.accountSid === accountSid ? stored.authToken : null;
}

function senderOf(c: TwilioCredentials): string {
  return `${c.accountSid}/${c.messagingServiceSid ?? c.fromNumber}`;
}

function invalid(errors: FieldErrors, message: string | null): ConnectResult {
  return { ok: false, problem: "invalid", errors, message };
}
