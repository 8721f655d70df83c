import { describe, expect, it } from "vitest";
import { database } from "~/db.server";
import { dispatchDueMessages } from "~/dispatch/dispatch.server";
import { createRateLimiter } from "~/dispatch/rate-limit";
import { optOutManually } from "~/services/manual-opt-out.server";
import { seedDueWelcomes as seedWelcomes, testGateway } from "../support/dispatch";
import { TEST_SHOP } from "../support/shopify";
import { startTextingShop } from "../support/texting-shop";

// Chunked sending (docs/decisions/011-dispatch-batches.md): many texts per transaction, every
// guard still re-checked under each shopper's lock right before the text leaves.
const T = new Date("2026-11-24T15:00:00Z"); // 10:00 in New York
const { clock, prisma, fake } = await startTextingShop(T);

const seedDueWelcomes = (count: number, prefix: string) => seedWelcomes(prisma, T, count, prefix);

async function dispatch(workerId: string, more: Partial<Parameters<typeof dispatchDueMessages>[0]> = {}) {
  const { sql } = await database();
  const gateway = testGateway(fake);
  return dispatchDueMessages({ sql, gatewayFor: () => gateway, workerId, now: () => clock.now(), statusCallbackUrl: null, ...more });
}

describe("chunked dispatch", () => {
  it("skips exactly the one shopper who opted out between the claim and the send, and sends the rest of the chunk", async () => {
    const shoppers = await seedDueWelcomes(3, "601");
    const { sql } = await database();
    // A fast sender: all three go in one chunk (one transaction).
    await sql.query(`UPDATE shop SET settings = jsonb_set(COALESCE(settings, '{}'::jsonb), '{sending}', COALESCE(settings->'sending', '{}'::jsonb) || '{"ratePerSecond": 1000}') WHERE domain = $1`, [
      TEST_SHOP,
    ]);
    const limiter = createRateLimiter();
    const reserved: number[] = [];
    let optedOut = false;
    const summary = await dispatch("w-optout", {
      rateLimiter: {
        ...limiter,
        // Runs after the claim and before the chunk's transaction: the STOP lands in between.
        async reserve(sender, perSecond, count) {
          reserved.push(count ?? 1);
          if (!optedOut) {
            optedOut = true;
            await optOutManually(sql, TEST_SHOP, shoppers[1]!.id, T);
          }
          return limiter.reserve(sender, perSecond, count);
        },
      },
    });
    expect(reserved).toEqual([3]);
    expect(summary).toMatchObject({ claimed: 3, sent: 2, skipped: 1, errors: 0 });
    expect(
      fake.messages
        .filter((m) => shoppers.some((s) => s.phone === m.to))
        .map((m) => m.to)
        .sort(),
    ).toEqual([shoppers[0]!.phone, shoppers[2]!.phone]);
    const skipped = await prisma.scheduledMessage.findFirstOrThrow({ where: { shopperId: shoppers[1]!.id } });
    expect(skipped).toMatchObject({ status: "skipped", reason: "opted_out", body: null });
  });

  it("sends each text once when two workers claim small batches and chunks at the same time", async () => {
    const shoppers = await seedDueWelcomes(40, "602");
    fake.setLatency(2);
    const runs = await Promise.all(
      ["w-a", "w-b"].map(async (workerId) => {
        let sent = 0;
        for (let i = 0; i < 10; i++) sent += (await dispatch(workerId, { batchSize: 8, chunkSize: 3, concurrency: 2 })).sent;
        return sent;
      }),
    );
    fake.setLatency(0);
    expect(runs[0]! + runs[1]!).toBe(40);
    for (const { phone } of shoppers) expect(fake.messages.filter((m) => m.to === phone)).toHaveLength(1);
    expect(await prisma.scheduledMessage.count({ where: { shopperId: { in: shoppers.map((s) => s.id) }, status: "sent" } })).toBe(40);
  });

  it("defers, rather than sends, texts beyond the sender's rate in the last second", async () => {
    const shoppers = await seedDueWelcomes(3, "603");
    const limiter = createRateLimiter();
    let started = 0; // a sender whose second has room for one more text
    const start = (_sender: string, _perSecond: number, count: number) => {
      const n = Math.min(count, 1 - started);
      started += n;
      return n;
    };
    const summary = await dispatch("w-rate", { rateLimiter: { ...limiter, start } });
    expect(summary).toMatchObject({ claimed: 3, sent: 1, deferred: 2 });
    const rows = await prisma.scheduledMessage.findMany({ where: { shopperId: { in: shoppers.map((s) => s.id) } } });
    expect(rows.filter((r) => r.status === "scheduled").map((r) => r.reason)).toEqual(["rate_limited", "rate_limited"]);
    expect(fake.messages.filter((m) => shoppers.some((s) => s.phone === m.to))).toHaveLength(1);
  });
});
