import type { SqlTx } from "../db/sql-driver.server";
import { billingHold, type BillingHold } from "./hold";
import { chargeCents, chargesUsage, planRequired, type BillingConfig } from "./plan";
import { readPlanFacts } from "./plan-state.server";
import { queueUsageCharges, type SentText } from "./queue.server";

/** What the dispatcher is given when billing is on (startDispatcher builds it from the environment). */
export interface DispatchBilling {
  config: BillingConfig;
  /** Whether the shop texts through its own Twilio account (the gateway resolver's own rule). */
  ownTwilioAccount(settings: unknown): boolean;
}

export interface ChunkBilling {
  /** Why the chunk's texts wait, or null when they may go. */
  hold: BillingHold | null;
  /** Whether texts sent now are charged per segment. */
  chargesUsage: boolean;
}

/** The shop's billing for one chunk, read in its transaction after the shop row is locked (docs/decisions/023-billing.md). */
export async function billingForChunk(tx: SqlTx, shop: string, settings: unknown, billing: DispatchBilling, now: Date): Promise<ChunkBilling> {
  const own = billing.ownTwilioAccount(settings);
  const required = planRequired(billing.config, own);
  const charged = chargesUsage(billing.config, own);
  if (!required && !charged) return { hold: null, chargesUsage: false };
  const plan = await readPlanFacts(tx, shop);
  return { hold: billingHold({ required, chargesUsage: charged, plan, nextChargeCents: chargeCents(billing.config, 1), now }), chargesUsage: charged };
}

/** Owes Shopify a charge for each text just sent, in the transaction that marks them sent. */
export async function chargeSentTexts(tx: SqlTx, shop: string, billing: DispatchBilling | undefined, chunk: ChunkBilling | null, sent: readonly SentText[], now: Date): Promise<void> {
  if (!billing || !chunk?.chargesUsage) return;
  await queueUsageCharges(tx, shop, sent, billing.config, now);
}
