import { readdir, readFile } from "node:fs/promises";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkTwilioAccount, type TwilioAccountCheck } from "../adapters/twilio-account.server";
import { openDatabase } from "../db/open-database.server";
import { readMigrations } from "../db/migrate.server";
import type { SqlDriver } from "../db/sql-driver.server";
import { parseEnv, type Env } from "../env.server";
import { declaredWebhookPaths } from "./app-toml";
import { consentSyncCheck } from "./consent-sync-check.server";
import { shopTokensCheck } from "./shop-tokens-check.server";
import { usageChargesCheck } from "./usage-charges-check.server";
import { webhookInboxCheck } from "./webhook-inbox-check.server";

type CheckStatus = "ok" | "warn" | "fail";
export interface Check {
  name: string;
  status: CheckStatus;
  detail: string;
}

export interface DoctorDeps {
  env: Record<string, string | undefined>;
  /** Asks Twilio whether the account and sender exist (the settings page's check). */
  checkTwilio?: typeof checkTwilioAccount;
  migrationsDir?: string;
  tomlPath?: string;
  routesDir?: string;
  /** The app clock: due and claim times are business time, stamped from it (app/clock.server.ts). */
  now: () => Date;
}

/**
 * `npm run nudge -- doctor`: what a self-hoster checks before asking for help. Never prints a
 * secret: env problems name the variable and the rule, not the value.
 */
export async function runDoctor(deps: DoctorDeps): Promise<Check[]> {
  const checks: Check[] = [];
  let env: Env;
  try {
    env = parseEnv(deps.env);
    checks.push({ name: "environment", status: "ok", detail: `NODE_ENV=${env.NODE_ENV}, app URL ${env.SHOPIFY_APP_URL}` });
  } catch (error) {
    checks.push({ name: "environment", status: "fail", detail: error instanceof Error ? error.message : String(error) });
    return checks;
  }
  checks.push(...(await databaseChecks(env, deps.migrationsDir ?? "prisma/migrations", deps.now())));
  checks.push(await twilioCheck(env, deps.checkTwilio ?? checkTwilioAccount));
  checks.push(await webhookCheck(deps.tomlPath ?? "shopify.app.toml", deps.routesDir ?? "app/routes"));
  return checks;
}

async function databaseChecks(env: Env, migrationsDir: string, now: Date): Promise<Check[]> {
  // Open without applying anything (an empty migrations folder), so the doctor reports
  // pending migrations instead of running them.
  const empty = mkdtempSync(join(tmpdir(), "nudge-doctor-"));
  let db;
  try {
    db = await openDatabase({ url: env.DATABASE_URL, schema: env.DATABASE_SCHEMA, dataDir: env.NUDGE_DATA_DIR, migrationsDir: empty });
  } catch (error) {
    return [{ name: "database", status: "fail", detail: `can't open: ${error instanceof Error ? error.message : String(error)}` }];
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
  try {
    const checks: Check[] = [{ name: "database", status: "ok", detail: db.description }];
    const applied = new Set((await db.sql.query<{ name: string }>("SELECT name FROM nudge_migrations")).map((r) => r.name));
    const pending = (await readMigrations(migrationsDir)).map((m) => m.name).filter((name) => !applied.has(name));
    checks.push(
      pending.length === 0
        ? { name: "migrations", status: "ok", detail: `${applied.size} applied, none pending` }
        : { name: "migrations", status: "warn", detail: `pending: ${pending.join(", ")} (applied when the server or worker starts)` },
    );
    if (pending.length === 0)
      checks.push(await sendingHealth(db.sql, now), await shopTokensCheck(db.sql), await consentSyncCheck(db.sql), await usageChargesCheck(db.sql), await webhookInboxCheck(db.sql, now));
    return checks;
  } finally {
    await db.close();
  }
}

/**
 * Is the dispatcher keeping up? Overdue texts, stuck sends, and unknown outcomes. due_at and
 * claimed_at are the app clock's, so they are compared with its `now`; updated_at is a row
 * stamp, on the database's clock.
 */
async function sendingHealth(sql: SqlDriver, now: Date): Promise<Check> {
  const [row] = await sql.query<{ overdue: number; stuck: number; unknown: number }>(
    `SELECT count(*) FILTER (WHERE status = 'scheduled' AND due_at < $1::timestamptz - interval '5 minutes')::int AS overdue,
            count(*) FILTER (WHERE status = 'sending' AND claimed_at < $1::timestamptz - interval '5 minutes')::int AS stuck,
            count(*) FILTER (WHERE status = 'unknown' AND updated_at > now() - interval '1 day')::int AS unknown
     FROM scheduled_message`,
    [now],
  );
  const { overdue, stuck, unknown } = row!;
  const detail = `${overdue} texts overdue by 5+ minutes, ${stuck} stuck sending, ${unknown} with unknown outcome in the last day`;
  // Overdue texts include ones waiting for quiet hours to end, so they only warn.
  return { name: "sending", status: stuck > 0 ? "fail" : overdue + unknown > 0 ? "warn" : "ok", detail };
}

async function twilioCheck(env: Env, check: typeof checkTwilioAccount): Promise<Check> {
  if (!env.TWILIO_ACCOUNT_SID || !env.TWILIO_AUTH_TOKEN) {
    return { name: "twilio", status: "warn", detail: "no app-wide account (TWILIO_*); shops must connect their own in Settings" };
  }
  const credentials = {
    accountSid: env.TWILIO_ACCOUNT_SID,
    authToken: env.TWILIO_AUTH_TOKEN,
    messagingServiceSid: env.TWILIO_MESSAGING_SERVICE_SID,
    fromNumber: env.TWILIO_FROM_NUMBER,
  };
  const result: TwilioAccountCheck = await check(credentials, { baseUrl: env.TWILIO_API_BASE_URL });
  const account = `account ${env.TWILIO_ACCOUNT_SID.slice(0, 6)}…`;
  if (result.ok) return { name: "twilio", status: "ok", detail: `${account} reachable (${result.friendlyName}), sender found` };
  const why: Record<typeof result.reason, string> = {
    rejected: "Twilio rejected TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN",
    account_inactive: `${account} is suspended or closed`,
    sender_not_found: "the Messaging Service or From number is not on this account",
    unreachable: `can't reach Twilio: ${result.message}`,
    twilio_error: `Twilio answered with an error: ${result.message}`,
  };
  return { name: "twilio", status: "fail", detail: why[result.reason] };
}

/**
 * Webhooks are app-specific subscriptions declared in shopify.app.toml (Shopify CLI registers
 * them on deploy); each declared topic must have a route here, and each route a declaration.
 */
async function webhookCheck(tomlPath: string, routesDir: string): Promise<Check> {
  const toml = await readFile(tomlPath, "utf8").catch(() => null);
  if (toml === null) return { name: "webhooks", status: "fail", detail: `${tomlPath} not found` };
  const read = declaredWebhookPaths(toml);
  if (!read.ok) return { name: "webhooks", status: "fail", detail: `${tomlPath}: ${read.message}` };
  const declared = new Set(read.paths);
  const routes = new Set(
    (await readdir(routesDir))
      .filter((f) => f.startsWith("webhooks."))
      .map((f) =>
        f
          .replace(/^webhooks\./, "")
          .replace(/\.tsx?$/, "")
          .replace(/\./g, "/"),
      ),
  );
  const undeclared = [...routes].filter((t) => !declared.has(t));
  const unhandled = [...declared].filter((t) => !routes.has(t));
  if (undeclared.length + unhandled.length === 0) return { name: "webhooks", status: "ok", detail: `${declared.size} topics declared in ${tomlPath}, each with a route` };
  const parts = [undeclared.length ? `not in ${tomlPath}: ${undeclared.join(", ")}` : "", unhandled.length ? `no route for: ${unhandled.join(", ")}` : ""];
  return { name: "webhooks", status: "fail", detail: parts.filter(Boolean).join("; ") };
}
