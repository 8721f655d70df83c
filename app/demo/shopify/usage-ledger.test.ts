import { describe, expect, it } from "vitest";
import { CAP_MESSAGE, chargeUsage, openUsageLedger } from "./usage-ledger";

describe("the demo's usage line item", () => {
  it("adds each charge to the balance used", () => {
    const first = chargeUsage(openUsageLedger(100), { cents: 30, idempotencyKey: "a", nextId: "r1" });
    const second = chargeUsage(first.ledger, { cents: 70, idempotencyKey: "b", nextId: "r2" });
    expect(second).toMatchObject({ ok: true, recordId: "r2" });
    expect(second.ledger.usedCents).toBe(100);
  });

  it("refuses a charge that would pass the capped amount, as Shopify does, and charges nothing", () => {
    const full = chargeUsage(openUsageLedger(100), { cents: 90, idempotencyKey: "a", nextId: "r1" }).ledger;
    const refused = chargeUsage(full, { cents: 11, idempotencyKey: "b", nextId: "r2" });
    expect(refused).toMatchObject({ ok: false, message: CAP_MESSAGE });
    expect(refused.ledger.usedCents).toBe(90);
  });

  it("answers a repeated idempotency key with the first record, without charging again", () => {
    const once = chargeUsage(openUsageLedger(100), { cents: 40, idempotencyKey: "a", nextId: "r1" });
    const again = chargeUsage(once.ledger, { cents: 40, idempotencyKey: "a", nextId: "r2" });
    expect(again).toMatchObject({ ok: true, recordId: "r1" });
    expect(again.ledger.usedCents).toBe(40);
  });
});
