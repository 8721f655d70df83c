import { randomBytes } from "node:crypto";
import { afterAll } from "vitest";

// Each test file runs in its own process with its own database: an in-memory PGlite, or,
// when DATABASE_URL is set, its own schema on that server, dropped afterwards.
process.env.NODE_ENV = "test";
process.env.LOG_LEVEL ??= "error";
process.env.SHOPIFY_API_KEY ??= "test-api-key";
process.env.SHOPIFY_API_SECRET ??= "test-api-secret";
process.env.SHOPIFY_APP_URL ??= "https://nudge.test";
process.env.NUDGE_DATA_DIR = "memory://";
// Twilio credentials only sign and verify webhooks in tests; sends go to tests/mocks/twilio.
process.env.TWILIO_ACCOUNT_SID ??= `AC${"1".repeat(32)}`;
process.env.TWILIO_AUTH_TOKEN ??= "test-twilio-auth-token-0123456789";
process.env.TWILIO_MESSAGING_SERVICE_SID ??= `MG${"2".repeat(32)}`;
process.env.NUDGE_IN_PROCESS_WORKER ??= "off";
// Billing (ADR 023) is on by default in production; tests about billing turn it on themselves.
process.env.NUDGE_BILLING ??= "off";
process.env.NUDGE_ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
const schema = process.env.DATABASE_URL ? `test_${randomBytes(6).toString("hex")}` : undefined;
if (schema) process.env.DATABASE_SCHEMA = schema;

afterAll(async () => {
  // Only files that opened the database pay for closing it.
  const { closeDatabase } = await import("~/db.server");
  await closeDatabase();
  if (schema && process.env.DATABASE_URL) {
    const pg = await import("pg");
    const client = new pg.default.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  }
});
