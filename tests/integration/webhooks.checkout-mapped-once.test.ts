import { beforeAll, describe, expect, it, vi } from "vitest";
import { database } from "~/db.server";
import { applyWebhooks, parseWebhook } from "~/webhooks/ingest.server";
import { checkoutToJourney } from "~/webhooks/to-journey";
import { checkoutPayload, installShop, TEST_SHOP } from "../support/shopify";

// Issue #23: the drain mapped each checkout twice (once for its shopper's identity locks, once
// in handleCheckout), parsing the phone with libphonenumber both times.
vi.mock("~/webhooks/to-journey", async (original) => {
  const actual = await original<typeof import("~/webhooks/to-journey")>();
  return { ...actual, checkoutToJourney: vi.fn(actual.checkoutToJourney) };
});

const T = new Date("2026-11-24T15:00:00Z");

beforeAll(async () => {
  await installShop();
});

describe("checkout webhooks", () => {
  it("are mapped to their journey once each, for the identity locks and the handler alike", async () => {
    const { sql } = await database();
    const inputs = ["1", "2"].map((n) => {
      const parsed = parseWebhook("CHECKOUTS_UPDATE", checkoutPayload({ token: `mapped-once-${n}`, cartToken: `cart-mapped-once-${n}`, createdAt: T, phone: `+1613555010${n}` }));
      if (!parsed.ok) throw new Error(parsed.issues.join("; "));
      return { shop: TEST_SHOP, topic: "CHECKOUTS_UPDATE" as const, webhookId: `mapped-once-${n}`, payload: parsed.payload, now: T };
    });
    vi.mocked(checkoutToJourney).mockClear();

    const outcomes = await sql.transaction((tx) => applyWebhooks(tx, inputs));

    expect(outcomes).toEqual(["journey:consideration", "journey:consideration"]);
    expect(checkoutToJourney).toHaveBeenCalledTimes(2);
  });
});
