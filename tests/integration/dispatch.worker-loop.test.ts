import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock, setClock } from "~/clock.server";
import { startDispatcher } from "~/dispatch/worker.server";
import { startFakeTwilio, type FakeTwilio } from "../mocks/twilio";
import { seedDueWelcomes, testGateway } from "../support/dispatch";
import { installShop } from "../support/shopify";

// The worker loop claims its next batch once the last chunk of the current one has started,
// not after it has finished (send lag, docs/decisions/011-dispatch-batches.md), and never runs
// more than two batches at once.
const T = new Date("2026-11-24T15:00:00Z"); // 10:00 in New York
let prisma: PrismaClient;
let fake: FakeTwilio;

beforeAll(async () => {
  setClock(fixedClock(T));
  prisma = await installShop();
  fake = await startFakeTwilio();
});
afterAll(() => fake.close());

describe("dispatcher loop", () => {
  it("starts the next batch while the last one is still sending, at most two at once, each text once", async () => {
    const shoppers = await seedDueWelcomes(prisma, T, 4, "701");
    fake.setLatency(300);
    const gateway = testGateway(fake);
    // One message per batch and one chunk at a time: any overlap comes from the loop alone.
    const dispatcher = startDispatcher({ gatewayFor: () => gateway, batchSize: 1, concurrency: 1, pollMs: 20, recoverEveryMs: 60_000 });
    let most = 0;
    const deadline = Date.now() + 20_000;
    try {
      while (fake.messages.length < shoppers.length && Date.now() < deadline) {
        most = Math.max(most, fake.inFlight());
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    } finally {
      await dispatcher.stop();
      fake.setLatency(0);
    }
    // PGlite is one connection: the next claim waits for the open chunk's transaction.
    expect(most).toBe(process.env.DATABASE_URL ? 2 : 1);
    expect(fake.messages.map((m) => m.to).sort()).toEqual(shoppers.map((s) => s.phone).sort());
    const statuses = await prisma.scheduledMessage.findMany({ where: { shopperId: { in: shoppers.map((s) => s.id) } }, select: { status: true } });
    expect(statuses.map((s) => s.status)).toEqual(["sent", "sent", "sent", "sent"]);
  });
});
