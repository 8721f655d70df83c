import type { SqlDriver } from "../../app/db/sql-driver.server";
import type { FakeMessage, FakeTwilio } from "../../tests/mocks/twilio";
import type { BenchDatabase } from "./bench-database";
import { saveTwilioCredentials } from "../../app/services/twilio-credentials.server";
import { appEnv, BENCH_ENCRYPTION_KEY, spawnScript, waitForLine } from "./child-process";
import { WORKER_APP_NAME } from "./cpu-account";
import { createUuidHelper, seedOutbox, shopDomain, type OutboxSeed } from "./seed-outbox";

/** Creates the bench schema or folder and seeds the outbox, then closes (PGlite has one owner). */
export async function prepareOutbox(db: BenchDatabase, seed: OutboxSeed, after?: (sql: SqlDriver) => Promise<void>): Promise<void> {
  const database = await db.open();
  try {
    await createUuidHelper(database.sql);
    await seedOutbox(database.sql, seed);
    await after?.(database.sql);
    await database.sql.exec("ANALYZE");
  } finally {
    await database.close();
  }
}

/**
 * Gives each of the first `shops` bench shops its own Twilio account and Messaging Service
 * (ADR 007), as merchants with their own numbers have. The rate limiter spaces texts per sender
 * and process (ADR 004), so on the app's one shared sender a worker could never pass the
 * schema's maximum of 1,000 texts/s, whatever its speed; with a sender each it is not the bound.
 */
export async function ownSenders(sql: SqlDriver, shops: number): Promise<void> {
  for (let i = 1; i <= shops; i++) {
    const hex = i.toString(16).padStart(32, "0");
    const credentials = { accountSid: `AC${hex}`, authToken: `bench-shop-${i}-twilio-token`, messagingServiceSid: `MG${hex}` };
    await saveTwilioCredentials(sql, shopDomain(i), credentials, BENCH_ENCRYPTION_KEY);
  }
}

/** Throws unless the fake's texts came through one Twilio account per shop, as ownSenders set up. */
export function expectOwnSenders(messages: readonly FakeMessage[], shops: number): void {
  const accounts = new Set(messages.map((m) => m.accountSid)).size;
  if (accounts !== shops) throw new Error(`texts came through ${accounts} Twilio accounts, not one per shop (${shops}): the run would measure a shared sender's rate limit`);
}

/**
 * Runs `workers` dispatcher processes against the fake until the outbox is empty; resolves with
 * the time (epoch ms) by which every one of them was ready (warm and listening: startDispatcher's
 * `ready`). `extraEnv` adds to their environment (SHOPIFY_API_ORIGIN for the discounts
 * scenario); `whenReady` runs once all are ready (send-lag sets its due times then).
 * NUDGE_BENCH_PROFILE=1 writes a CPU profile of the first worker to bench/profiles/.
 */
export async function runDispatchers(
  db: BenchDatabase,
  fake: FakeTwilio,
  workers: number,
  maxSeconds: number,
  extraEnv: Record<string, string> = {},
  whenReady?: () => Promise<void>,
): Promise<{ allReadyAt: number }> {
  const env = appEnv(db, { TWILIO_API_BASE_URL: fake.url, NUDGE_IN_PROCESS_WORKER: "off", PGAPPNAME: WORKER_APP_NAME, ...extraEnv });
  const profile = process.env.NUDGE_BENCH_PROFILE === "1" ? ["--cpu-prof", "--cpu-prof-dir=bench/profiles"] : [];
  const running = Array.from({ length: workers }, (_, i) => spawnScript("scripts/bench/dispatch-worker.ts", [String(maxSeconds)], env, i === 0 ? profile : []));
  await Promise.all(running.map((r) => waitForLine(r, /dispatcher ready/, 120_000)));
  const allReadyAt = Date.now();
  await whenReady?.();
  const codes = await Promise.all(running.map((r) => r.exited));
  const failed = codes.findIndex((code) => code !== 0);
  if (failed >= 0) throw new Error(`dispatcher worker exited with ${codes[failed]}:\n${running[failed]!.stderr().slice(-2000)}`);
  const warnings = running
    .map((r) => r.stderr())
    .join("")
    .trim();
  if (warnings) console.error(warnings.split("\n").slice(0, 5).join("\n"));
  return { allReadyAt };
}

/** Texts per second at the fake, from its first to its last accepted message. */
export function textsPerSecond(messages: readonly FakeMessage[]): number | null {
  if (messages.length < 2) return null;
  const times = messages.map((m) => m.dateCreated.getTime());
  const span = Math.max(...times) - Math.min(...times);
  return span > 0 ? ((messages.length - 1) * 1000) / span : null;
}

/** Most messages in any sliding one-second window. */
export function peakPerSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= 1000) start++;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
}

/** Status counts and duplicates: (to, body) pairs seen twice at the fake, and fake vs `sent` rows. */
export async function outboxOutcome<T = undefined>(db: BenchDatabase, fake: FakeTwilio, more?: (sql: SqlDriver) => Promise<T>) {
  const database = await db.open();
  try {
    const rows = await database.sql.query<{ status: string; reason: string | null; n: number }>(
      `SELECT status, reason, count(*)::int AS n FROM scheduled_message GROUP BY status, reason ORDER BY n DESC`,
    );
    const sent = rows.filter((r) => r.status === "sent").reduce((sum, r) => sum + r.n, 0);
    const pairs = new Set(fake.messages.map((m) => `${m.to}\n${m.body}`));
    return {
      statuses: rows.map((r) => `${r.status}${r.reason ? `/${r.reason}` : ""}: ${r.n}`).join(", "),
      sent,
      atFake: fake.messages.length,
      duplicatePairs: fake.messages.length - pairs.size,
      more: (more ? await more(database.sql) : undefined) as T,
    };
  } finally {
    await database.close();
  }
}
