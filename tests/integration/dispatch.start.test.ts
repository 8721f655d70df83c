import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { clock, scaledClock, setClock } from "~/clock.server";
import { database } from "~/db.server";
import { POOL_SIZE } from "~/db/open-database.server";
import { warmSendPath } from "~/dispatch/warm-send-path.server";
import { startDispatcher } from "~/dispatch/worker.server";
import { startFakeTwilio, type FakeTwilio } from "../mocks/twilio";
import { seedDueWelcomes, sentWithin, testGateway } from "../support/dispatch";
import { installShop, TEST_SHOP } from "../support/shopify";

// A dispatcher that starts (a deploy, a crash, a scale-up) may find texts already due: it
// reports ready once its pool is open and its send path has run once, and its hourly
// housekeeping waits minutes instead of taking the first tick (ADR 011, amendment of 7 Dec 2026).
const T = new Date("2026-11-24T15:00:00Z"); // 10:00 in New York

// Whether the numbering data the guards read (phone-geo.server.ts) was parsed by the warm-up.
const geoWarmed = vi.hoisted(() => ({ done: 0 }));
vi.mock("~/adapters/phone-geo.server", async (importOriginal) => {
  const original = await importOriginal<typeof import("~/adapters/phone-geo.server")>();
  return { ...original, warmPhoneGeo: () => original.warmPhoneGeo().then(() => void geoWarmed.done++) };
});
let prisma: PrismaClient;
let fake: FakeTwilio;

beforeAll(async () => {
  setClock(scaledClock(1, Date.now(), T.getTime()));
  prisma = await installShop();
  fake = await startFakeTwilio();
});
afterAll(() => fake.close());

async function seedOldReceipt(webhookId: string): Promise<void> {
  await prisma.webhookReceipt.create({ data: { webhookId, shop: TEST_SHOP, topic: "CHECKOUTS_CREATE", receivedAt: new Date(Date.now() - 8 * 86_400_000) } });
}

const hasReceipt = async (webhookId: string) => (await prisma.webhookReceipt.count({ where: { webhookId } })) === 1;

describe("a starting dispatcher", () => {
  // First in the file: no earlier test has run the send path on this process's connections.
  it.runIf(process.env.DATABASE_URL)("is ready only once the connections its chunks use have the send path's statements prepared", async () => {
    const gateway = testGateway(fake);
    const concurrency = 3;
    const dispatcher = startDispatcher({ gatewayFor: () => gateway, concurrency, pollMs: 60_000, recoverEveryMs: 600_000 });
    try {
      await dispatcher.ready;
      const { sql } = await database();
      // Every connection of the pool at once, each held until all have looked: how many have them.
      let looked = 0;
      let allLooked!: () => void;
      const everyone = new Promise<void>((resolve) => (allLooked = resolve));
      const perConnection = await Promise.all(
        Array.from({ length: POOL_SIZE }, () =>
          sql.transaction(async (tx) => {
            const prepared = await tx.query<{ statement: string }>(`SELECT statement FROM pg_prepared_statements`);
            if (++looked === POOL_SIZE) allLooked();
            await everyone;
            return prepared.some((p) => p.statement.includes("FROM jsonb_to_recordset($2::jsonb) AS v(message_id uuid"));
          }),
        ),
      );
      expect(perConnection.filter(Boolean).length).toBeGreaterThanOrEqual(concurrency);
    } finally {
      await dispatcher.stop();
    }
  });

  it("is ready only once the numbering data its guards read is parsed", async () => {
    const before = geoWarmed.done;
    const dispatcher = startDispatcher({ gatewayFor: () => testGateway(fake), pollMs: 60_000, recoverEveryMs: 600_000 });
    try {
      await dispatcher.ready;
      expect(geoWarmed.done).toBe(before + 1);
    } finally {
      await dispatcher.stop();
    }
  });

  it("warms up without claiming, locking or changing any text", async () => {
    const [shopper] = await seedDueWelcomes(prisma, clock.now(), 1, "821");
    const { sql } = await database();
    await warmSendPath(sql, { chunks: 2, now: clock.now(), workerId: "warm-up" });
    const row = await prisma.scheduledMessage.findFirstOrThrow({ where: { shopperId: shopper!.id } });
    expect({ status: row.status, attempts: row.attempts, claimedBy: row.claimedBy }).toEqual({ status: "scheduled", attempts: 0, claimedBy: null });
    await prisma.scheduledMessage.delete({ where: { id: row.id } });
  });

  it("sends the texts due at its start before any housekeeping: a week-old webhook id outlives its first ticks", async () => {
    await seedOldReceipt("old-at-start");
    const before = fake.messages.length;
    await seedDueWelcomes(prisma, clock.now(), 2, "822");
    const gateway = testGateway(fake);
    const dispatcher = startDispatcher({ gatewayFor: () => gateway, pollMs: 50, recoverEveryMs: 600_000 });
    try {
      expect(await sentWithin(fake, 10_000, before + 2)).toBe(before + 2);
      await new Promise((resolve) => setTimeout(resolve, 500)); // more ticks, idle
      expect(await hasReceipt("old-at-start")).toBe(true);
    } finally {
      await dispatcher.stop();
    }
    await prisma.webhookReceipt.delete({ where: { webhookId: "old-at-start" } });
  });

  it("runs its housekeeping once the first delay has passed", async () => {
    await seedOldReceipt("old-later");
    const gateway = testGateway(fake);
    const dispatcher = startDispatcher({ gatewayFor: () => gateway, pollMs: 50, recoverEveryMs: 600_000, housekeepingAfterMs: 300 });
    try {
      const deadline = Date.now() + 10_000;
      while ((await hasReceipt("old-later")) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await hasReceipt("old-later")).toBe(false);
    } finally {
      await dispatcher.stop();
    }
  });
});
