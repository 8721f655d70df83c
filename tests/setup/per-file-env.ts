import { randomBytes } from "node:crypto";

// Each test file runs in its own process with its own database: an in-memory PGlite, or,
// when DATABASE_URL is set, its own schema on that server. Nothing is shared between files.
process.env.NODE_ENV = "test";
process.env.SHOPIFY_API_KEY ??= "test-api-key";
process.env.SHOPIFY_API_SECRET ??= "test-api-secret";
process.env.SHOPIFY_APP_URL ??= "https://nudge.test";
process.env.NUDGE_DATA_DIR = "memory://";
if (process.env.DATABASE_URL) {
  process.env.DATABASE_SCHEMA = `test_${randomBytes(6).toString("hex")}`;
}
