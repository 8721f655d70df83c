import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SmsGateway } from "~/adapters/twilio.server";
import { clock as appClock, fixedClock, setClock } from "~/clock.server";
import { database } from "~/db.server";
import { dispatchDueMessages } from "~/dispatch/dispatch.server";
import { recoverStuckMessages } from "~/dispatch/recover.server";
import { runCli } from "~/ops/cli.server";
import { action as checkoutsCreate } from "~/routes/webhooks.checkouts.create";
import { startFakeTwilio, type FakeTwilio } from "../mocks/twilio";
import { testGateway } from "../support/dispatch";
import { checkoutPayload, installShop, TEST_SHOP, webhookRequest } from "../support/shopify";

// PostgreSQL restarting mid-run, played by a TCP proxy between the app and the server that
// drops every connection and refuses new ones until restored. Only on the PostgreSQL run:
// PGlite runs inside the process and can't go away on its own.
const pg = await vi.hoisted(async () => {
  const url = process.env.DATABASE_URL;
  if (!url) return null;
  const { startTcpProxy } = await import("../support/tcp-proxy");
  const real = new URL(url);
  const proxy = await startTcpProxy({ host: real.hostname, port: Number(real.port || 5432) });
  const proxied = new URL(url);
  proxied.hostname = "127.0.0.1";
  proxied.port = String(proxy.port);
  process.env.DATABASE_URL = proxied.toString(); // before the app reads its environment
  return { proxy, realUrl: url };
});
if (!pg) console.info("dependency-postgres.test.ts skipped: a database restart needs a PostgreSQL server (set DATABASE_URL); PGlite runs in-process.");

const T = new Date("2026-11-24T15:00:00Z"); // 10:00 in New York
const MIN = 60_000;
const clock = fixedClock(T);
let prisma: PrismaClient;
let fake: FakeTwilio;

/** A route's answer, with a thrown error standing for the 500 Remix would send. */
const statusOf = (run: Promise<Response>) => run.then((r) => r.status).catch(() => 500);
const abandon = (token: string, phone: string) =>
  checkoutsCreate({ request: webhookRequest("checkouts/create", checkoutPayload({ token, createdAt: T, phone }), { webhookId: `wh-${token}` }), params: {}, context: {} });

async function dispatch(gateway: SmsGateway = testGateway(fake)) {
  const { sql } = await database();
  return dispatchDueMessages({ sql, gatewayFor: () => gateway, workerId: "pg-restart", now: () => appClock.now(), statusCallbackUrl: null });
}

describe.skipIf(!pg)("PostgreSQL restarting mid-run", () => {
  beforeAll(async () => {
    setClock(clock);
    prisma = await installShop(TEST_SHOP, { name: "Snow Devil" });
    fake = await startFakeTwilio();
  });
  afterAll(async () => {
    await fake.close();
    process.env.DATABASE_URL = pg!.realUrl; // the per-file teardown drops the schema directly
  });

  it("a webhook during the outage fails with a 5xx, so Shopify retries it; the retry is stored once", async () => {
    await pg!.proxy.cut();
    expect(await statusOf(abandon("pg-1", "+12125550301"))).toBeGreaterThanOrEqual(500);
    await pg!.proxy.restore();
    expect(await statusOf(abandon("pg-1", "+12125550301"))).toBe(200);
    expect(await statusOf(abandon("pg-1", "+12125550301"))).toBe(200); // Shopify's duplicate delivery
    expect(await prisma.checkout.count({ where: { token: "pg-1" } })).toBe(1);
    expect(await prisma.scheduledMessage.count({ where: { checkoutToken: "pg-1" } })).toBe(1);
  });

  it("a dispatcher tick during the outage sends nothing; the tick after it sends once", async () => {
    clock.set(new Date(T.getTime() + 20 * MIN));
    await pg!.proxy.cut();
    await expect(dispatch()).rejects.toThrow();
    expect(fake.messages).toHaveLength(0);
    await pg!.proxy.restore();
    expect(await dispatch()).toMatchObject({ sent: 1 });
    expect(await dispatch()).toMatchObject({ claimed: 0 });
    expect(fake.messages.filter((m) => m.to === "+12125550301")).toHaveLength(1);
  });

  it("a restart after Twilio took a text but before it was recorded: recovery finds it at Twilio, nothing is sent twice", async () => {
    clock.set(T);
    expect(await statusOf(abandon("pg-2", "+12125550302"))).toBe(200);
    clock.set(new Date(T.getTime() + 20 * MIN));
    const real = testGateway(fake);
    // Twilio accepts the text, then the database goes away before the result is written.
    const cutAfterSend: SmsGateway = { ...real, send: async (input) => real.send(input).finally(() => pg!.proxy.cut()) };
    expect(await dispatch(cutAfterSend)).toMatchObject({ claimed: 1, errors: 1 });
    await pg!.proxy.restore();
    const row = await prisma.scheduledMessage.findFirstOrThrow({ where: { checkoutToken: "pg-2" } });
    expect(row.status).toBe("sending");

    clock.set(new Date(T.getTime() + 40 * MIN));
    const { sql } = await database();
    expect(await recoverStuckMessages(sql, () => real, { now: clock.now(), staleAfterMs: 5 * MIN })).toMatchObject({ reconciled: 1 });
    expect(await dispatch()).toMatchObject({ claimed: 0 });
    const sent = fake.messages.filter((m) => m.to === "+12125550302");
    expect(sent).toHaveLength(1);
    expect(await prisma.scheduledMessage.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "sent", providerSid: sent[0]!.sid });
  });

  it("npm run nudge -- doctor says the database is unreachable, exits 1, and prints no stack", async () => {
    await pg!.proxy.cut();
    const lines: string[] = [];
    const code = await runCli(["doctor"], { out: (t) => lines.push(t), err: (t) => lines.push(t), env: process.env, now: () => new Date() });
    await pg!.proxy.restore();
    expect(code).toBe(1);
    const output = lines.join("\n");
    expect(output).toMatch(/✗ database\s+can't open: .*ECONNREFUSED/);
    expect(output).not.toMatch(/\n\s+at /);
  });
});
