import { mkdtempSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeTwilio, type FakeTwilio } from "../mocks/twilio";
import { openDatabase } from "~/db/open-database.server";
import { runCli } from "~/ops/cli.server";
import { runDoctor } from "~/ops/doctor.server";
import { action as checkoutsCreate } from "~/routes/webhooks.checkouts.create";
import { checkoutPayload, installShop, TEST_SHOP, webhookRequest } from "../support/shopify";

const OTHER = "other-ops.myshopify.com";
const PHONE = "+16135550177";
const dir = mkdtempSync(join(tmpdir(), "nudge-ops-"));
// The doctor opens the database itself: a PGlite folder here, or this file's Postgres schema.
let env: Record<string, string | undefined>;
let fake: FakeTwilio;

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => err.push(t), env: process.env, now: () => new Date() });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

beforeAll(async () => {
  fake = await startFakeTwilio();
  const sid = process.env.TWILIO_ACCOUNT_SID!;
  fake.addAccount({ sid, authToken: process.env.TWILIO_AUTH_TOKEN!, friendlyName: "Nudge test account", messagingServiceSids: [process.env.TWILIO_MESSAGING_SERVICE_SID!] });
  env = { ...process.env, NUDGE_DATA_DIR: join(dir, "data"), TWILIO_API_BASE_URL: fake.url };
  if (!env.DATABASE_URL) await (await openDatabase({ dataDir: env.NUDGE_DATA_DIR! })).close();
  await installShop(TEST_SHOP, { name: "Snow Devil" });
  await installShop(OTHER);
  const res = await checkoutsCreate({ request: webhookRequest("checkouts/create", checkoutPayload({ token: "ops-1", createdAt: new Date(), phone: PHONE })), params: {}, context: {} });
  expect(res.status).toBe(200);
});
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("npm run nudge -- doctor", () => {
  it("passes a healthy setup: env, database, migrations, sending, shop tokens, consent sync, usage charges, the webhook inbox, Twilio and webhook declarations", async () => {
    const checks = await runDoctor({ env, now: () => new Date() });
    expect(checks.find((c) => c.name === "twilio")!.detail).toContain("reachable (Nudge test account)");
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ["environment", "ok"],
      ["database", "ok"],
      ["migrations", "ok"],
      ["sending", "ok"],
      ["shop tokens", "ok"],
      ["consent sync", "ok"],
      ["usage charges", "ok"],
      ["webhooks in", "ok"],
      ["twilio", "ok"],
      ["webhooks", "ok"],
    ]);
  });

  it("counts texts overdue against the app clock it is given (due times are business time)", async () => {
    // A text due in an hour, written where the doctor looks (its own PGlite folder, or this file's schema).
    const db = await openDatabase({ url: env.DATABASE_URL, schema: env.DATABASE_SCHEMA, dataDir: env.NUDGE_DATA_DIR! });
    const dueAt = new Date(Date.now() + 3_600_000);
    try {
      await db.sql.query(
        `WITH s AS (INSERT INTO shop (domain) VALUES ('doctor-clock.myshopify.com') RETURNING domain),
              p AS (INSERT INTO shopper (shop) SELECT domain FROM s RETURNING id, shop)
         INSERT INTO scheduled_message (shop, shopper_id, dedupe_key, flow, step, due_at) SELECT shop, id, 'doctor-clock', 'abandoned_checkout', 1, $1 FROM p`,
        [dueAt],
      );
    } finally {
      await db.close();
    }
    const scheduled = await runDoctor({ env, now: () => new Date() });
    expect(scheduled.find((c) => c.name === "sending")).toMatchObject({ status: "ok" });
    const dayLater = await runDoctor({ env, now: () => new Date(Date.now() + 24 * 3_600_000) });
    expect(dayLater.find((c) => c.name === "sending")).toMatchObject({ status: "warn", detail: expect.stringMatching(/^[1-9]\d* texts overdue by 5\+ minutes/) });
  });

  it("names a bad variable without printing its value", async () => {
    const checks = await runDoctor({ env: { ...env, TWILIO_AUTH_TOKEN: "short-secret" }, now: () => new Date() });
    expect(checks).toEqual([{ name: "environment", status: "fail", detail: expect.stringContaining("TWILIO_AUTH_TOKEN") }]);
    expect(JSON.stringify(checks)).not.toContain("short-secret");
  });

  it("fails when Twilio refuses the credentials, and when a webhook route isn't declared", async () => {
    const toml = join(dir, "shopify.app.toml");
    writeFileSync(toml, readFileSync("shopify.app.toml", "utf8").replace('uri = "/webhooks/orders/create"', 'uri = "/webhooks/orders/paid"'));
    const checks = await runDoctor({ env: { ...env, TWILIO_AUTH_TOKEN: "a-wrong-but-long-token" }, tomlPath: toml, now: () => new Date() });
    expect(checks.find((c) => c.name === "twilio")).toEqual({ name: "twilio", status: "fail", detail: "Twilio rejected TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN" });
    expect(checks.find((c) => c.name === "webhooks")).toEqual({
      name: "webhooks",
      status: "fail",
      detail: `not in ${toml}: orders/create; no route for: orders/paid`,
    });
  });
});

describe("npm run nudge -- inspect shopper", () => {
  it("prints the shopper's timeline as JSON, for the shop asked about only", async () => {
    const found = await cli("inspect", "shopper", "+1 (613) 555-0177", "--shop", TEST_SHOP);
    expect(found.code).toBe(0);
    const timeline = JSON.parse(found.out);
    expect(timeline.shopper.phone).toBe(PHONE);
    expect(timeline.entries.length).toBeGreaterThan(0);

    const elsewhere = await cli("inspect", "shopper", PHONE, "--shop", OTHER);
    expect(elsewhere).toMatchObject({ code: 1, out: "", err: `no shopper with ${PHONE} in ${OTHER}` });
    expect((await cli("inspect", "shopper", "not-a-phone", "--shop", TEST_SHOP)).code).toBe(1);
  });
});

describe("npm run nudge -- consent-sync retry", () => {
  it("re-queues parked consent changes with fresh attempts, for the shop asked about or all", async () => {
    const { database } = await import("~/db.server");
    const { sql } = await database();
    const park = (shop: string) =>
      sql.query(
        `INSERT INTO consent_sync (shop, shopper_id, customer_id, state, consent_updated_at, status, attempts, last_error)
         VALUES ($1, gen_random_uuid(), 'gid://shopify/Customer/1', 'UNSUBSCRIBED', now(), 'failed', 8, 'Shopify refused')`,
        [shop],
      );
    await park(TEST_SHOP);
    await park(OTHER);
    const statuses = async () =>
      (await sql.query<{ shop: string; status: string; attempts: number }>(`SELECT shop, status, attempts FROM consent_sync ORDER BY shop`)).map((r) => `${r.shop} ${r.status} ${r.attempts}`);

    expect(await cli("consent-sync", "retry", "--shop", TEST_SHOP)).toMatchObject({ code: 0, out: `1 parked consent change re-queued for Shopify (${TEST_SHOP})` });
    expect(await statuses()).toEqual([`${TEST_SHOP} pending 0`, `${OTHER} failed 8`]);
    expect(await cli("consent-sync", "retry")).toMatchObject({ code: 0, out: "1 parked consent change re-queued for Shopify" });
    expect(await statuses()).toEqual([`${TEST_SHOP} pending 0`, `${OTHER} pending 0`]);
    expect((await cli("consent-sync", "redo")).code).toBe(2);
    await sql.query(`DELETE FROM consent_sync`);
  });
});

describe("npm run nudge -- simulate", () => {
  it("runs a preset through the journey simulator with the shop's settings", async () => {
    const result = await cli("simulate", "--shop", TEST_SHOP, "--preset", "buys-first");
    expect(result.code).toBe(0);
    const report = JSON.parse(result.out);
    expect(report.shopperZone).toBe("America/New_York");
    expect(report.timeline.map((r: { outcome: string }) => r.outcome)).toContain("Cancelled");
    expect(report.timeline.find((r: { outcome: string }) => r.outcome === "Cancelled").what).toBe("Cart text 1: the shopper bought");
  });

  it("explains what's wrong with bad arguments", async () => {
    expect((await cli("simulate", "--shop", TEST_SHOP, "--preset", "nope")).err).toBe("unknown preset: nope");
    expect((await cli("simulate", "--shop", TEST_SHOP, "--start", "9pm")).err).toContain("Use 24-hour time");
    expect((await cli("frobnicate")).code).toBe(2);
  });
});
