/**
 * The demo's usage line item as Shopify keeps it: charges add to the balance used until the
 * capped amount, a charge that would pass it is refused with Shopify's message ("Total price
 * exceeds balance remaining"), and a charge repeated with the same idempotency key answers the
 * record it made the first time without charging again.
 * https://shopify.dev/docs/api/admin-graphql/latest/mutations/appUsageRecordCreate
 * Amounts are whole cents. Pure: the state goes in and comes out.
 */
export interface UsageLedger {
  cappedCents: number;
  usedCents: number;
  /** Idempotency key -> record id of the charge it made. */
  records: ReadonlyMap<string, string>;
}

export type UsageAnswer = { ok: true; recordId: string; ledger: UsageLedger } | { ok: false; message: string; ledger: UsageLedger };

export const CAP_MESSAGE = "Total price exceeds balance remaining";

export function openUsageLedger(cappedCents: number): UsageLedger {
  return { cappedCents, usedCents: 0, records: new Map() };
}

/** One appUsageRecordCreate: `nextId` names the record when a new one is made. */
export function chargeUsage(ledger: UsageLedger, charge: { cents: number; idempotencyKey: string | null; nextId: string }): UsageAnswer {
  const earlier = charge.idempotencyKey ? ledger.records.get(charge.idempotencyKey) : undefined;
  if (earlier) return { ok: true, recordId: earlier, ledger };
  if (ledger.usedCents + charge.cents > ledger.cappedCents) return { ok: false, message: CAP_MESSAGE, ledger };
  const records = new Map(ledger.records);
  if (charge.idempotencyKey) records.set(charge.idempotencyKey, charge.nextId);
  return { ok: true, recordId: charge.nextId, ledger: { ...ledger, usedCents: ledger.usedCents + charge.cents, records } };
}
