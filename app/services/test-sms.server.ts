import { z } from "zod";
import type { SmsGateway } from "../adapters/twilio.server";
import type { SqlDriver } from "../db/sql-driver.server";
import { log, maskPhone } from "../lib/log.server";
import { brandFor } from "../messaging/brand";
import { normalizePhone } from "../lib/phone";
import { readShopSettings } from "./shops.server";

const TestSmsFormSchema = z.object({
  phone: z
    .string()
    .trim()
    .min(1, "Enter your mobile number")
    .transform((raw, ctx) => {
      // strict: must be a real, assigned number (libphonenumber-js isValid), not merely the right length.
      const phone = normalizePhone(raw, null, { strict: true });
      if (phone) return phone.e164;
      ctx.addIssue({ code: "custom", message: "That isn't a valid mobile number. Include the country code, like +1 415 555 0100." });
      return z.NEVER;
    }),
});

/** Test texts are the merchant's own, so a small allowance is plenty and the button can't be used to spam. */
const TEST_SMS_LIMIT = { max: 5, windowMs: 60 * 60 * 1000 };

export type TestSmsResult = { ok: true; sid: string; to: string } | { ok: false; problem: "invalid" | "rate_limited" | "twilio"; errors: { phone?: string }; message: string | null };

export interface TestSmsDeps {
  sql: SqlDriver;
  /** The dispatcher's resolver: the shop's own Twilio account, else the app's. */
  gatewayFor: (shop: string, settings: unknown) => SmsGateway | null;
  now: Date;
  limit?: { max: number; windowMs: number };
}

/**
 * Sends one text to the merchant's phone right away through the shop's gateway. It is not a
 * marketing message: no shopper, no outbox row, no status callback, so it never counts
 * toward a shopper's caps or toward attribution. It leaves a log line (phone masked) and a
 * timestamp in the shop's test-text allowance.
 */
export async function sendTestSms(deps: TestSmsDeps, shop: string, input: Record<string, unknown>): Promise<TestSmsResult> {
  const parsed = TestSmsFormSchema.safeParse(input);
  if (!parsed.success) return { ok: false, problem: "invalid", errors: { phone: parsed.error.issues[0]?.message }, message: null };
  const to = parsed.data.phone;

  const [row] = await deps.sql.query<{ name: string | null; settings: unknown }>(`SELECT name, settings FROM shop WHERE domain = $1`, [shop]);
  const gateway = row ? deps.gatewayFor(shop, row.settings) : null;
  if (!row || !gateway) return { ok: false, problem: "invalid", errors: {}, message: "No Twilio account is connected. Connect one above first." };

  const limit = deps.limit ?? TEST_SMS_LIMIT;
  const retryAt = await takeTestSmsSlot(deps.sql, shop, deps.now, limit);
  if (retryAt) {
    const minutes = Math.max(1, Math.ceil((retryAt.getTime() - deps.now.getTime()) / 60_000));
    return {
      ok: false,
      problem: "rate_limited",
      errors: {},
      message: `You've sent ${limit.max} test texts in the last hour. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
    };
  }

  const brand = brandFor({ domain: shop, name: row.name }, readShopSettings(shop, row.settings).sending);
  const result = await gateway.send({ to, body: testSmsBody(brand) });
  if (!result.ok) {
    log.warn("test text failed", { shop, to: maskPhone(to), sender: gateway.sender, code: result.code, kind: result.kind });
    return { ok: false, problem: "twilio", errors: {}, message: `Twilio didn't send it${result.code ? ` (error ${result.code})` : ""}: ${result.message}` };
  }
  log.info("test text sent", { shop, to: maskPhone(to), sender: gateway.sender, sid: result.sid });
  return { ok: true, sid: result.sid, to };
}

export function testSmsBody(brand: string): string {
  return `${brand}: This is a test from Nudge. Texts to your shoppers will come from this sender.`;
}

/**
 * Claims one test text from the shop's allowance in a single UPDATE, so two clicks (or two
 * web processes) can't both take the last slot: the row lock serialises them and the WHERE
 * is re-checked on the updated row. Keeps only timestamps inside the window, in
 * shop.settings.testTexts. Returns null when claimed, else when the next slot frees up.
 */
async function takeTestSmsSlot(sql: SqlDriver, shop: string, now: Date, limit: { max: number; windowMs: number }): Promise<Date | null> {
  const since = new Date(now.getTime() - limit.windowMs).toISOString();
  const recent = `FROM jsonb_array_elements_text(COALESCE(settings->'testTexts', '[]'::jsonb)) AS t WHERE t::timestamptz > $2::timestamptz`;
  const claimed = await sql.query(
    `UPDATE shop SET settings = jsonb_set(settings, '{testTexts}', COALESCE((SELECT jsonb_agg(t) ${recent}), '[]'::jsonb) || to_jsonb($3::text))
     WHERE domain = $1 AND (SELECT count(*) ${recent}) < $4
     RETURNING domain`,
    [shop, since, now.toISOString(), limit.max],
  );
  if (claimed.length > 0) return null;
  const [row] = await sql.query<{ at: unknown }>(`SELECT settings->'testTexts' AS at FROM shop WHERE domain = $1`, [shop]);
  const times = (Array.isArray(row?.at) ? row.at : []).map((t) => new Date(String(t)).getTime()).filter((t) => t > now.getTime() - limit.windowMs);
  return new Date((times.length > 0 ? Math.min(...times) : now.getTime()) + limit.windowMs);
}
