import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clock, scaledClock, setClock } from "~/clock.server";
import { startDispatcher } from "~/dispatch/worker.server";
import { startFakeTwilio, type FakeTwilio } from "../mocks/twilio";
import { seedDueWelcomes, sentWithin, testGateway } from "../support/dispatch";
import { installShop } from "../support/shopify";

// An idle dispatcher wakes for a text written due now (NOTIFY, migration 0009) and sleeps only
// until the next scheduled text falls due (issue #23, item 3). Both workers poll every 30 s, so
// only a wake can send within the test's few seconds.
const T = new Date("2026-11-24T15:00:00Z"); // 10:00 in New York
const POLL_MS = 30_000;
let prisma: PrismaClient;
let fake: FakeTwilio;

beforeAll(async () => {
  setClock(scaledClock(1, Date.now(), T.getTime()));
  prisma = await installShop();
  fake = await startFakeTwilio();
});
afterAll(() => fake.close());

describe("dispatcher wake", () => {
  it("sends a text written due now while it sleeps, long before its next poll", async () => {
    const gateway = testGateway(fake);
    const dispatcher = startDispatcher({ gatewayFor: () => gateway, pollMs: POLL_MS, recoverEveryMs: 600_000 });
    try {
      await new Promise((resolve) => setTimeout(resolve, 500)); // idle, asleep for up to 30 s
      const started = Date.now();
      await seedDueWelcomes(prisma, clock.now(), 1, "811");
      expect(await sentWithin(fake, 5_000, 1)).toBe(1);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await dispatcher.stop();
    }
  });

  it("sleeps only until the next scheduled text falls due", async () => {
    const before = fake.messages.length;
    // Due 1.5 s from now on the app clock, written before the worker starts: no NOTIFY reaches it.
    await seedDueWelcomes(prisma, new Date(clock.now().getTime() + 2_500), 1, "812");
    const gateway = testGateway(fake);
    const dispatcher = startDispatcher({ gatewayFor: () => gateway, pollMs: POLL_MS, recoverEveryMs: 600_000 });
    try {
      expect(await sentWithin(fake, 6_000, before + 1)).toBe(before + 1);
    } finally {
      await dispatcher.stop();
    }
  });
});
