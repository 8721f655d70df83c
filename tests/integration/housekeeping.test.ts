import { describe, expect, it } from "vitest";
import { database } from "~/db.server";
import { pruneWebhookReceipts } from "~/services/housekeeping.server";
import { installShop, TEST_SHOP } from "../support/shopify";

describe("pruneWebhookReceipts", () => {
  it("forgets webhook ids older than a week and keeps recent ones", async () => {
    const prisma = await installShop();
    const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000);
    await prisma.webhookReceipt.createMany({
      data: [
        { webhookId: "old", shop: TEST_SHOP, topic: "CHECKOUTS_CREATE", receivedAt: daysAgo(8) },
        { webhookId: "recent", shop: TEST_SHOP, topic: "CHECKOUTS_CREATE", receivedAt: daysAgo(2) },
      ],
    });
    const { sql } = await database();
    expect(await pruneWebhookReceipts(sql)).toBe(1);
    expect((await prisma.webhookReceipt.findMany()).map((r) => r.webhookId)).toEqual(["recent"]);
  }, 90_000);
});
