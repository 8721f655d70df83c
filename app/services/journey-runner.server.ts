import type { Prisma } from "@prisma/client";
import { consentStatus, transition, type Command, type ConsentEntry, type JourneyEvent, type JourneySettings, type Stage } from "../journey";
import { readJourneyState } from "../journey/state-schema";
import { applyOutboxCommands } from "./outbox.server";

type Tx = Prisma.TransactionClient;

export interface JourneyRun {
  shop: string;
  shopperId: string;
  phone: string | null;
  phoneRegion: string | null;
  events: JourneyEvent[];
  now: Date;
  settings: JourneySettings;
  /** Evidence for consent entries these events add. */
  consentEvidence?: { webhookId?: string };
}

export interface JourneyRunResult {
  stage: Stage;
  commands: Command[];
}

/**
 * Feeds events to the journey engine for one shopper inside the caller's transaction: locks
 * the shopper row, runs the pure transition, stores the new state, logs the events, records
 * new consent entries as evidence, and applies the commands to the outbox.
 */
export async function runJourney(tx: Tx, run: JourneyRun): Promise<JourneyRunResult> {
  const [row] = await tx.$queryRaw<{ state: unknown }[]>`
    SELECT state FROM shopper WHERE id = ${run.shopperId}::uuid AND shop = ${run.shop} FOR UPDATE`;
  if (!row) throw new Error(`shopper ${run.shopperId} not found in ${run.shop}`);

  const before = readJourneyState(row.state, run.phoneRegion);
  let state = before;
  let stage: Stage = "awareness";
  const commands: Command[] = [];
  for (const event of run.events) {
    const result = transition(state, event, run.now.getTime(), run.settings);
    state = result.state;
    stage = result.stage;
    commands.push(...result.commands);
  }

  const consent = consentStatus(state.consentLog);
  const latestOrderAt = Math.max(0, ...Object.values(state.orders).map((o) => o.at));
  await tx.shopper.update({
    where: { id: run.shopperId },
    data: {
      state: state as unknown as Prisma.InputJsonValue,
      stage,
      consent: consent.granted ? "granted" : state.consentLog.length > 0 ? "revoked" : "none",
      orderCount: state.orderCount,
      lastOrderAt: latestOrderAt > 0 ? new Date(latestOrderAt) : null,
    },
  });
  await tx.journeyEvent.createMany({
    data: run.events.map((event) => {
      const { type, at, ...data } = event;
      return {
        shop: run.shop,
        shopperId: run.shopperId,
        type,
        occurredAt: new Date(at),
        data: data as Prisma.InputJsonValue,
        webhookId: run.consentEvidence?.webhookId ?? null,
      };
    }),
  });

  const added = newEntries(before.consentLog, state.consentLog);
  if (added.length > 0 && run.phone) {
    await tx.consent.createMany({
      data: added.map((entry) => ({
        shop: run.shop,
        shopperId: run.shopperId,
        phone: run.phone!,
        status: entry.kind === "in" ? "granted" : "revoked",
        source: entry.source,
        collectedAt: new Date(entry.at),
        webhookId: run.consentEvidence?.webhookId ?? null,
      })),
    });
  }
  await applyOutboxCommands(tx, run.shop, run.shopperId, commands);
  return { stage, commands };
}

function newEntries(before: ConsentEntry[], after: ConsentEntry[]): ConsentEntry[] {
  const seen = new Set(before.map((e) => `${e.at}|${e.kind}|${e.source}`));
  return after.filter((e) => !seen.has(`${e.at}|${e.kind}|${e.source}`));
}
