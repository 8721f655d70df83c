import { z } from "zod";
import type { SqlDriver } from "../db/sql-driver.server";
import { openSecret, sealSecret } from "../lib/secret-box.server";

export const TwilioCredentialsSchema = z
  .object({
    accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, "Account SID starts with AC and has 32 hex digits"),
    authToken: z.string().min(16, "Auth token looks too short").max(128),
    messagingServiceSid: z
      .string()
      .regex(/^MG[0-9a-fA-F]{32}$/, "Messaging Service SID starts with MG")
      .optional(),
    fromNumber: z
      .string()
      .regex(/^\+[1-9]\d{6,14}$/, "From number must be E.164, like +15005550006")
      .optional(),
  })
  .refine((c) => c.messagingServiceSid || c.fromNumber, { message: "Give a Messaging Service SID or a from number", path: ["messagingServiceSid"] });
export type TwilioCredentials = z.infer<typeof TwilioCredentialsSchema>;

const StoredSchema = z.object({
  accountSid: z.string(),
  sealedAuthToken: z.string(),
  messagingServiceSid: z.string().optional(),
  fromNumber: z.string().optional(),
});

/** Stores a shop's own Twilio account in shop.settings.twilio, the token sealed with `key`. */
export async function saveTwilioCredentials(sql: SqlDriver, shop: string, credentials: TwilioCredentials, key: Buffer): Promise<void> {
  const { authToken, ...rest } = TwilioCredentialsSchema.parse(credentials);
  const stored = { ...rest, sealedAuthToken: sealSecret(authToken, key) };
  await sql.query(`UPDATE shop SET settings = jsonb_set(settings, '{twilio}', $2::jsonb), updated_at = now() WHERE domain = $1`, [shop, JSON.stringify(stored)]);
}

/** Removes the shop's own account; its texts then go through the app's account, if any. */
export async function removeTwilioCredentials(sql: SqlDriver, shop: string): Promise<void> {
  await sql.query(`UPDATE shop SET settings = settings - 'twilio', updated_at = now() WHERE domain = $1`, [shop]);
}

/** True when settings hold an own account, whether or not it can be opened with the current key. */
export function hasStoredTwilioCredentials(settings: unknown): boolean {
  const twilio = typeof settings === "object" && settings !== null ? (settings as Record<string, unknown>).twilio : undefined;
  return StoredSchema.safeParse(twilio).success;
}

/** The shop's own credentials from its stored settings, or null (then the env account is used). */
export function readTwilioCredentials(settings: unknown, key: Buffer | null): TwilioCredentials | null {
  const twilio = typeof settings === "object" && settings !== null ? (settings as Record<string, unknown>).twilio : undefined;
  const stored = StoredSchema.safeParse(twilio);
  if (!stored.success || !key) return null;
  const authToken = openSecret(stored.data.sealedAuthToken, key);
  if (!authToken) return null;
  const { sealedAuthToken: _sealed, ...rest } = stored.data;
  return { ...rest, authToken };
}

/** What the settings page may show: never the token, only its last four characters. */
export function describeTwilioCredentials(credentials: TwilioCredentials | null) {
  if (!credentials) return null;
  return {
    accountSid: credentials.accountSid,
    authToken: maskAuthToken(credentials.authToken),
    sender: credentials.messagingServiceSid ?? credentials.fromNumber ?? null,
  };
}

/** ••••••••1234: enough to recognise a token, never enough to use it. */
function maskAuthToken(token: string): string {
  return `••••••••${token.slice(-4)}`;
}
